package dev.gantry.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gantry.engine.pipeline.CronSpec;
import dev.gantry.engine.store.Store;
import dev.gantry.engine.store.TriggerRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timer against a real store, driven by a clock the test moves: no waiting for minutes. */
class CronSchedulerTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    Path home;
    Store store;
    final List<String> started = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        store = Store.open(home);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void job(String name, String kind, String spec) throws Exception {
        store.jobs().save(name, "pipeline { }", null);
        store.triggers().replace(name, List.of(new TriggerRow(null, kind, spec, null, null)));
    }

    private CronScheduler scheduler(MovableClock clock) {
        return new CronScheduler(store.triggers(), started::add, clock);
    }

    @Test
    void aJobStartsInItsHashedMinuteInTheSpecsZoneOnce() throws Exception {
        String spec = "TZ=Europe/Berlin\nH 4 * * 1-5";
        job("team/api", "cron", spec);
        ZonedDateTime due = CronSpec.parse(spec).schedule("team/api").next(ZonedDateTime.of(2025, 1, 6, 0, 0, 0, 0, UTC));
        assertEquals(4, due.withZoneSameInstant(BERLIN).getHour());
        MovableClock clock = new MovableClock(due.toInstant().minusSeconds(90), UTC);
        CronScheduler s = scheduler(clock);
        clock.advance(Duration.ofSeconds(60));
        assertEquals(List.of(), s.check(), "the minute before");
        clock.set(due.toInstant().plusSeconds(5));
        assertEquals(List.of("team/api"), s.check());
        clock.advance(Duration.ofSeconds(50));
        assertEquals(List.of(), s.check(), "the same minute again");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(List.of(), s.check(), "the minute after");
        assertEquals(List.of("team/api"), started);
    }

    @Test
    void aRestartInTheSameMinuteDoesNotStartASecondBuild() throws Exception {
        job("nightly", "cron", "17 3 * * *");
        Instant due = Instant.parse("2025-01-06T03:17:00Z");
        MovableClock clock = new MovableClock(due.minusSeconds(30), UTC);
        CronScheduler before = scheduler(clock);
        clock.set(due.plusSeconds(2));
        assertEquals(List.of("nightly"), before.check());
        store.close();
        store = Store.open(home);
        // The restarted controller's clock is a little behind: it sees 03:17 begin once more.
        clock.set(due.minusSeconds(3));
        CronScheduler after = scheduler(clock);
        clock.set(due.plusSeconds(10));
        assertEquals(List.of(), after.check());
        assertEquals(List.of("nightly"), started);
    }

    @Test
    void minutesMissedWhileDownAreNotCaughtUpAndABacklogStartsAJobOnce() throws Exception {
        job("every-minute", "cron", "* * * * *");
        job("poller", "pollSCM", "* * * * *");
        MovableClock clock = new MovableClock(Instant.parse("2025-01-06T10:00:10Z"), UTC);
        CronScheduler s = scheduler(clock);
        clock.advance(Duration.ofHours(3));
        assertEquals(List.of("every-minute"), s.check(), "three hours behind: one build, not 180; pollSCM never");
        CronScheduler restarted = scheduler(clock);
        assertEquals(List.of(), restarted.check(), "a new scheduler starts with the next minute");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(List.of("every-minute"), restarted.check());
    }

    @Test
    void aSkippedWallClockMinuteNeverFiresAndARepeatedOneFiresTwice() throws Exception {
        job("two-thirty", "cron", "30 2 * * *");
        assertEquals(0, firesDuringNight(ZonedDateTime.of(2025, 3, 30, 0, 0, 0, 0, BERLIN)), "30 March: 02:30 does not exist");
        assertEquals(2, firesDuringNight(ZonedDateTime.of(2025, 10, 26, 0, 0, 0, 0, BERLIN)), "26 October: 02:30 happens twice");
        assertEquals(1, firesDuringNight(ZonedDateTime.of(2025, 10, 27, 0, 0, 0, 0, BERLIN)));
    }

    private int firesDuringNight(ZonedDateTime midnight) {
        started.clear();
        MovableClock clock = new MovableClock(midnight.toInstant(), BERLIN);
        CronScheduler s = scheduler(clock);
        for (int m = 0; m < 6 * 60; m++) {
            clock.advance(Duration.ofMinutes(1));
            s.check();
        }
        return started.size();
    }

    @Test
    void theThreadNoticesAMovedClockWithinASecond() throws Exception {
        job("ticking", "cron", "* * * * *");
        MovableClock clock = new MovableClock(Instant.parse("2025-01-06T10:00:10Z"), UTC);
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        try (CronScheduler s = new CronScheduler(store.triggers(), seen::add, clock)) {
            s.start();
            clock.advance(Duration.ofMinutes(1));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
            assertEquals(List.of("ticking"), seen);
        }
    }
}
