package dev.gantry.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TriggersAndCausesStoreTest {
    private static final Instant MINUTE = Instant.parse("2025-01-06T04:17:00Z");

    @TempDir
    Path home;
    Store store;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(home);
        store.jobs().save("team/api", "pipeline { }", 0L);
        store.jobs().save("team/web", "pipeline { }", 0L);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void triggersAreReplacedAsAWholeAndListedByKind() {
        TriggerRepository t = store.triggers();
        t.replace("team/api", List.of(new TriggerRow(null, "cron", "H 4 * * 1-5", null, null),
                new TriggerRow(null, "upstream", null, "lib, ../tools", "UNSTABLE")));
        t.replace("team/web", List.of(new TriggerRow(null, "upstream", null, "api", "SUCCESS")));
        assertEquals(List.of(new TriggerRow("team/api", "cron", "H 4 * * 1-5", null, null),
                new TriggerRow("team/api", "upstream", null, "lib, ../tools", "UNSTABLE")), t.of("team/api"));
        assertEquals(List.of("team/api", "team/web"), t.ofKind("upstream").stream().map(TriggerRow::job).toList());
        t.replace("team/api", List.of());
        assertEquals(List.of(), t.of("team/api"));
        assertEquals(1, t.ofKind("upstream").size());
        assertThrows(NoSuchElementException.class, () -> t.replace("nope", List.of()));
        assertThrows(IllegalArgumentException.class, () -> t.replace("team/api", List.of(new TriggerRow(null, "github", null, null, null))));
    }

    @Test
    void deletingAJobDeletesItsTriggers() {
        store.triggers().replace("team/api", List.of(new TriggerRow(null, "cron", "@daily", null, null)));
        store.jobs().delete("team/api");
        assertEquals(List.of(), store.triggers().ofKind("cron"));
    }

    @Test
    void aMinuteIsClaimedOnceAlsoAfterAReopenAndNeverBackwards() {
        assertTrue(store.triggers().claimTimerMinute("team/api", MINUTE));
        assertFalse(store.triggers().claimTimerMinute("team/api", MINUTE));
        assertTrue(store.triggers().claimTimerMinute("team/web", MINUTE), "claims are per job");
        store.close();
        store = Store.open(home);
        assertFalse(store.triggers().claimTimerMinute("team/api", MINUTE), "the claim survived the restart");
        assertFalse(store.triggers().claimTimerMinute("team/api", MINUTE.minusSeconds(60)), "an earlier minute (clock set back)");
        assertTrue(store.triggers().claimTimerMinute("team/api", MINUTE.plusSeconds(60)));
        assertFalse(store.triggers().claimTimerMinute("gone", MINUTE));
    }

    @Test
    void causesAndDetailsRoundTrip() {
        BuildRecord b = store.builds().create("team/web", Map.of(), List.of(BuildCause.upstream("team/api", 5), BuildCause.user("alice", "Started by user alice")));
        assertEquals("Started by upstream project \"team/api\" build number 5", b.cause());
        BuildRecord read = store.builds().find("team/web", b.number()).orElseThrow();
        assertEquals(b.causes(), read.causes());
        assertEquals(new BuildCause(BuildCause.UPSTREAM, b.cause(), null, "team/api", 5, "job/team/job/api/"), read.causes().get(0));
        assertEquals(List.of(BuildCause.timer()), store.builds().create("team/web", Map.of(), "Started by timer").causes());

        assertEquals(new BuildDetails(null, null, Map.of()), store.builds().details("team/web", 1).orElseThrow());
        store.builds().saveDetails("team/web", 1, new BuildDetails("v1.2", "shipped", Map.of("VERSION", "1.2")));
        assertEquals(new BuildDetails("v1.2", "shipped", Map.of("VERSION", "1.2")), store.builds().details("team/web", 1).orElseThrow());
        assertTrue(store.builds().details("team/web", 99).isEmpty());
        assertThrows(NoSuchElementException.class, () -> store.builds().saveDetails("team/web", 99, new BuildDetails(null, null, null)));
    }
}
