package dev.gantry.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.jobs.LogRotator;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildDiscarderTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    @TempDir
    Path home;
    Store store;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(home);
        store.jobs().save("j", "node { }", null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A completed build that started {@code daysAgo} days before NOW, with one artifact. */
    private int build(String result, int daysAgo) throws Exception {
        BuildRecord b = store.builds().create("j", Map.of(), "test");
        store.builds().markRunning("j", b.number(), NOW.minus(Duration.ofDays(daysAgo)));
        if (result != null) {
            Files.writeString(store.artifactsDir("j", b.number()).resolve("a.txt"), "a");
            store.builds().complete("j", b.number(), result, 1, List.of(), Map.of(), List.of("a.txt"));
        }
        return b.number();
    }

    private List<Integer> remaining() {
        return store.builds().list("j", 0, 100).stream().map(BuildRecord::number).sorted().toList();
    }

    @Test
    void numToKeepKeepsTheNewestAndTheLastSuccessfulAndStable() throws Exception {
        build("SUCCESS", 9);   // 1: last stable
        build("UNSTABLE", 8);  // 2: last successful
        build("FAILURE", 7);   // 3
        build("FAILURE", 6);   // 4
        build("FAILURE", 5);   // 5
        build(null, 4);        // 6: running, never deleted
        build("FAILURE", 3);   // 7
        BuildDiscarder.Discarded d = BuildDiscarder.apply("j", new LogRotator(-1, 2, -1, -1), store.builds(), NOW);
        assertEquals(List.of(5, 4, 3), d.builds());
        assertEquals(List.of(1, 2, 6, 7), remaining());
    }

    @Test
    void daysToKeepWalksFromTheOldestAndStopsAtTheFirstYoungBuild() throws Exception {
        build("FAILURE", 40);  // 1: deleted
        build("FAILURE", 35);  // 2: deleted
        build("FAILURE", 10);  // 3: young, the walk stops here
        build("FAILURE", 50);  // 4: old, but after a young one: kept, as in Jenkins
        build("FAILURE", 1);   // 5
        BuildDiscarder.Discarded d = BuildDiscarder.apply("j", new LogRotator(30, -1, -1, -1), store.builds(), NOW);
        assertEquals(List.of(1, 2), d.builds());
        assertEquals(List.of(3, 4, 5), remaining());
    }

    @Test
    void artifactRulesDeleteOnlyArtifacts() throws Exception {
        build("FAILURE", 3);
        build("FAILURE", 2);
        build("FAILURE", 1);
        Path first = store.artifactsDir("j", 1);
        BuildDiscarder.Discarded d = BuildDiscarder.apply("j", new LogRotator(-1, -1, -1, 1), store.builds(), NOW);
        assertEquals(List.of(2, 1), d.artifacts());
        assertEquals(List.of(1, 2, 3), remaining());
        assertFalse(Files.exists(first.resolve("a.txt")));
        assertEquals(List.of(), store.builds().find("j", 1).orElseThrow().artifacts());
        assertEquals(List.of("a.txt"), store.builds().find("j", 3).orElseThrow().artifacts());
        d = BuildDiscarder.apply("j", new LogRotator(-1, -1, 0, -1), store.builds(), NOW);
        assertEquals(List.of(3), d.artifacts());
    }

    @Test
    void queuedBuildsDoNotCountAndAreNeverDeleted() throws Exception {
        build("FAILURE", 2);
        build("FAILURE", 1);
        store.builds().create("j", Map.of(), "queued");
        BuildDiscarder.Discarded d = BuildDiscarder.apply("j", new LogRotator(-1, 1, -1, -1), store.builds(), NOW);
        assertEquals(List.of(1), d.builds());
        assertEquals(List.of(2, 3), remaining());
        assertTrue(store.builds().find("j", 3).isPresent());
    }
}
