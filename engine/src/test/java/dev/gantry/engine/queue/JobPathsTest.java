package dev.gantry.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobPathsTest {
    private static final Set<String> JOBS = Set.of("tools", "b", "team/b", "team/sub/c", "team/sub/d", "other/x");

    private static Optional<String> resolve(String name, String from) {
        return JobPaths.resolve(name, from, JOBS::contains);
    }

    @Test
    void namesAreResolvedFromTheNamingJobsFolderFirst() {
        assertEquals(Optional.of("team/b"), resolve("b", "team/a"));
        assertEquals(Optional.of("b"), resolve("b", "a"), "a job at the root sees the root");
        assertEquals(Optional.of("team/sub/c"), resolve("sub/c", "team/a"));
        assertEquals(Optional.of("team/sub/d"), resolve("d", "team/sub/c"));
        assertEquals(Optional.of("team/sub/d"), resolve("./d", "team/sub/c"));
    }

    @Test
    void dotDotGoesUpAFolder() {
        assertEquals(Optional.of("team/b"), resolve("../b", "team/sub/c"));
        assertEquals(Optional.of("tools"), resolve("../tools", "team/a"));
        assertEquals(Optional.of("other/x"), resolve("../../other/x", "team/sub/c"));
        assertEquals(Optional.empty(), resolve("../tools", "a"), "above the root there is nothing, and ../tools is no full name");
    }

    @Test
    void fullNamesAndAbsoluteNamesWork() {
        assertEquals(Optional.of("other/x"), resolve("other/x", "team/a"), "not in team/, so taken as a full name");
        assertEquals(Optional.of("b"), resolve("/b", "team/a"), "a leading / skips team/b");
        assertEquals(Optional.of("tools"), resolve("tools", "team/sub/c"));
        assertEquals(Optional.empty(), resolve("nope", "team/a"));
        assertEquals(Optional.empty(), resolve(" ", "team/a"));
    }
}
