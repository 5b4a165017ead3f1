package dev.gantry.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** H values as Jenkins hashes them, and firing across daylight-saving changes as Jenkins fires. */
class CronScheduleTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZonedDateTime T = ZonedDateTime.of(2013, 3, 21, 16, 21, 0, 0, UTC);

    private static ZonedDateTime at(int month, int day, int hour, int minute) {
        return ZonedDateTime.of(2013, month, day, hour, minute, 0, 0, UTC);
    }

    /** The values Jenkins' own CronTabTest expects for Hash.from("stuff") and Hash.from("junk"). */
    @Test
    void hashedValuesAreJenkinsValuesForTheSameName() {
        assertEquals(at(3, 21, 17, 56), CronSpec.parse("H 17 * * *").next(T, "stuff"));
        assertEquals(at(3, 21, 16, 56), CronSpec.parse("H * * * *").next(T, "stuff"));
        assertEquals(at(3, 21, 16, 56), CronSpec.parse("@hourly").next(T, "stuff"));
        assertEquals(at(3, 21, 17, 20), CronSpec.parse("@hourly").next(T, "junk"));
        assertEquals(at(3, 22, 13, 56), CronSpec.parse("H H(12-13) * * *").next(T, "stuff"));
        assertEquals(at(3, 21, 16, 26), CronSpec.parse("H/15 * * * *").next(at(3, 21, 16, 21), "stuff"));
        assertEquals(at(3, 21, 17, 11), CronSpec.parse("H/15 * * * *").next(at(3, 21, 16, 59), "stuff"));
        assertEquals(at(3, 21, 0, 2), CronSpec.parse("H(0-15)/3 * * * *").next(at(3, 21, 0, 0).minusMinutes(1), "junk"));
        assertEquals(at(3, 21, 1, 2), CronSpec.parse("H(0-3)/4 * * * *").next(at(3, 21, 0, 5), "junk"));
    }

    @Test
    void linesDrawTheirHashesInTurnFromOneSequence() {
        CronSpec.Schedule s = CronSpec.parse("H * * * *\nH * * * *").schedule("seed");
        List<Integer> minutes = new ArrayList<>();
        for (int m = 0; m < 60; m++) {
            if (s.matches(ZonedDateTime.of(2013, 4, 3, 11, m, 0, 0, UTC))) {
                minutes.add(m);
            }
        }
        assertEquals(List.of(35, 56), minutes);
    }

    @Test
    void matchesIgnoresSecondsAndHonoursTheTimeZoneLine() {
        CronSpec.Schedule s = CronSpec.parse("TZ=Europe/Berlin\n0 9 * * 1-5").schedule("j");
        assertTrue(s.matches(ZonedDateTime.of(2025, 1, 6, 8, 0, 42, 0, UTC)), "09:00 in Berlin is 08:00 UTC in winter");
        assertFalse(s.matches(ZonedDateTime.of(2025, 1, 6, 9, 0, 0, 0, UTC)));
        assertFalse(s.matches(ZonedDateTime.of(2025, 1, 5, 8, 0, 0, 0, UTC)), "a Sunday");
        assertTrue(s.matches(ZonedDateTime.of(2025, 7, 7, 7, 0, 0, 0, UTC)), "09:00 in Berlin is 07:00 UTC in summer");
    }

    @Test
    void aWallClockTimeSkippedWhenClocksGoForwardDoesNotFire() {
        CronSpec.Schedule s = CronSpec.parse("30 2 * * *").schedule("j");
        ZonedDateTime next = s.next(ZonedDateTime.of(2025, 3, 29, 12, 0, 0, 0, BERLIN));
        assertEquals(ZonedDateTime.of(2025, 3, 31, 2, 30, 0, 0, BERLIN), next, "30 March 2025 has no 02:30 in Berlin");
        ZonedDateTime hourly = CronSpec.parse("0 * * * *").next(ZonedDateTime.of(2025, 3, 30, 1, 30, 0, 0, BERLIN), "j");
        assertEquals(ZonedDateTime.of(2025, 3, 30, 3, 0, 0, 0, BERLIN), hourly);
        assertEquals(60, java.time.Duration.between(ZonedDateTime.of(2025, 3, 30, 1, 30, 0, 0, BERLIN), hourly).toMinutes() + 30,
                "one real hour after 01:00 comes 03:00");
    }

    @Test
    void aWallClockTimeRepeatedWhenClocksGoBackFiresTwice() {
        CronSpec.Schedule s = CronSpec.parse("30 2 * * *").schedule("j");
        ZonedDateTime first = s.next(ZonedDateTime.of(2025, 10, 25, 12, 0, 0, 0, BERLIN));
        assertEquals(ZonedDateTime.of(2025, 10, 26, 0, 30, 0, 0, UTC).toInstant(), first.toInstant(), "02:30 CEST");
        ZonedDateTime second = s.next(first);
        assertEquals(ZonedDateTime.of(2025, 10, 26, 1, 30, 0, 0, UTC).toInstant(), second.toInstant(), "02:30 CET, an hour later");
        assertEquals(ZonedDateTime.of(2025, 10, 27, 1, 30, 0, 0, UTC).toInstant(), s.next(second).toInstant());
        assertTrue(s.matches(first) && s.matches(second));
    }

    @Test
    void nextAndMatchesAgreeMinuteByMinute() {
        CronSpec.Schedule s = CronSpec.parse("TZ=America/New_York\nH/7 H(0-5),13 * * MON-FRI\n@midnight").schedule("team/api");
        ZonedDateTime t = ZonedDateTime.of(2025, 3, 7, 0, 0, 0, 0, UTC);
        ZonedDateTime expected = s.next(t.minusMinutes(1));
        for (int i = 0; i < 4 * 24 * 60; i++, t = t.plusMinutes(1)) {
            if (s.matches(t)) {
                assertEquals(expected.toInstant(), t.toInstant());
                expected = s.next(t);
            }
        }
    }
}
