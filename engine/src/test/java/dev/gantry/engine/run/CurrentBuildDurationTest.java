package dev.gantry.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code currentBuild.durationString} words durations the way Jenkins does. */
class CurrentBuildDurationTest {
    @Test
    void durationsAreWordedLikeJenkins() {
        assertEquals("42 ms", CurrentBuild.timeSpan(42));
        assertEquals("0.12 sec", CurrentBuild.timeSpan(123));
        assertEquals("1.2 sec", CurrentBuild.timeSpan(1_234));
        assertEquals("5 sec", CurrentBuild.timeSpan(5_000));
        assertEquals("12 sec", CurrentBuild.timeSpan(12_345));
        assertEquals("1 min 5 sec", CurrentBuild.timeSpan(65_000));
        assertEquals("12 min", CurrentBuild.timeSpan(12 * 60_000 + 5_000));
        assertEquals("2 hr 3 min", CurrentBuild.timeSpan(2 * 3_600_000 + 3 * 60_000));
        assertEquals("1 day 4 hr", CurrentBuild.timeSpan(28 * 3_600_000L));
    }
}
