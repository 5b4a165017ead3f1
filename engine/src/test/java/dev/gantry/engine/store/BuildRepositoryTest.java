package dev.gantry.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildRepositoryTest {
    static final String HOSTILE = "'; DROP TABLE jobs; -- <img src=x onerror=alert(1)> \u0000\u0001\u001f\t\r\n \"quoted\" \\ ünïcødé 日本語 😀";

    @TempDir
    Path home;
    Store store;
    BuildRepository builds;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(home);
        builds = store.builds();
        store.jobs().save("team-a/api", "pipeline { }", 0L);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void createQueuesWithNumbersFromOne() {
        Instant before = Instant.now();
        BuildRecord first = builds.create("team-a/api", Map.of("BRANCH", "main"), "Started by user alice");
        BuildRecord second = builds.create("team-a/api", Map.of(), "Started by timer");
        assertEquals(1, first.number());
        assertEquals(2, second.number());
        assertEquals(BuildStatus.QUEUED, first.status());
        assertNull(first.result());
        assertNull(first.startedAt());
        assertEquals(0, first.durationMillis());
        assertTrue(!first.queuedAt().isBefore(before.truncatedTo(ChronoUnit.MILLIS)), first.queuedAt() + " vs " + before);
        assertEquals(Map.of("BRANCH", "main"), first.parameters());
        assertEquals(List.of(), first.stages());
        assertEquals(Map.of(), first.tests());
        assertEquals(List.of(), first.artifacts());
        assertEquals("Started by user alice", first.cause());
        assertEquals(first, builds.find("team-a/api", 1).orElseThrow());
    }

    @Test
    void createForAMissingJobFails() {
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> builds.create("nope", Map.of(), "x"));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }

    @Test
    void concurrentCreatesGetDistinctConsecutiveNumbers() throws Exception {
        List<List<Integer>> perThread = JobRepositoryTest.race(4, i -> {
            List<Integer> numbers = new ArrayList<>();
            for (int k = 0; k < 25; k++) {
                numbers.add(builds.create("team-a/api", Map.of("thread", i), "race").number());
            }
            return numbers;
        });
        List<Integer> all = perThread.stream().flatMap(List::stream).sorted().toList();
        assertEquals(IntStream.rangeClosed(1, 100).boxed().toList(), all);
        assertEquals(100, builds.count("team-a/api"));
    }

    @Test
    void numbersAreNotReusedAfterRestartAndArePerJob() throws Exception {
        builds.create("team-a/api", Map.of(), "x");
        builds.create("team-a/api", Map.of(), "x");
        store.close();
        store = Store.open(home);
        builds = store.builds();
        assertEquals(3, builds.create("team-a/api", Map.of(), "x").number());
        store.jobs().save("other", "x", 0L);
        assertEquals(1, builds.create("other", Map.of(), "x").number());
    }

    @Test
    void runningThenCompletedRecordsEverything() {
        builds.create("team-a/api", Map.of(), "x");
        Instant started = Instant.parse("2026-01-02T03:04:05.123456789Z");
        builds.markRunning("team-a/api", 1, started);
        BuildRecord running = builds.find("team-a/api", 1).orElseThrow();
        assertEquals(BuildStatus.RUNNING, running.status());
        assertEquals(started, running.startedAt());

        List<StageRow> live = List.of(new StageRow("Build", null, null, 0));
        builds.updateStages("team-a/api", 1, live);
        assertEquals(live, builds.find("team-a/api", 1).orElseThrow().stages());

        List<StageRow> stages = List.of(new StageRow("Build", null, "SUCCESS", 1200), new StageRow("Test", null, "UNSTABLE", 3400),
                new StageRow("unit", "Test", "UNSTABLE", 3000));
        builds.complete("team-a/api", 1, "UNSTABLE", 4600, stages, Map.of("total", 10, "failed", 1, "skipped", 2, "passed", 7),
                List.of("target/b.jar", "target/a.jar"));
        BuildRecord done = builds.find("team-a/api", 1).orElseThrow();
        assertEquals(BuildStatus.COMPLETED, done.status());
        assertEquals("UNSTABLE", done.result());
        assertEquals(4600, done.durationMillis());
        assertEquals(stages, done.stages());
        assertEquals(Map.of("total", 10, "failed", 1, "skipped", 2, "passed", 7), done.tests());
        assertEquals(List.of("target/a.jar", "target/b.jar"), done.artifacts(), "artifacts are sorted");
        assertEquals(started, done.startedAt());
    }

    @Test
    void aQueuedBuildCanBeCompletedAsAborted() {
        builds.create("team-a/api", Map.of(), "x");
        builds.complete("team-a/api", 1, "ABORTED", 0, null, null, null);
        BuildRecord done = builds.find("team-a/api", 1).orElseThrow();
        assertEquals(BuildStatus.COMPLETED, done.status());
        assertEquals("ABORTED", done.result());
        assertNull(done.startedAt());
        assertEquals(List.of(), done.stages());
    }

    @Test
    void illegalTransitionsAreRefusedWithTheCurrentStatus() {
        builds.create("team-a/api", Map.of(), "x");
        builds.markRunning("team-a/api", 1, Instant.now());
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> builds.markRunning("team-a/api", 1, Instant.now()));
        assertTrue(twice.getMessage().contains("RUNNING"), twice.getMessage());
        builds.complete("team-a/api", 1, "SUCCESS", 5, List.of(), Map.of(), List.of());
        assertThrows(IllegalStateException.class, () -> builds.complete("team-a/api", 1, "FAILURE", 5, List.of(), Map.of(), List.of()));
        assertThrows(IllegalStateException.class, () -> builds.updateStages("team-a/api", 1, List.of()));
        assertEquals("SUCCESS", builds.find("team-a/api", 1).orElseThrow().result());
    }

    @Test
    void transitionsOfMissingBuildsAndBadResultsAreRefused() {
        assertThrows(NoSuchElementException.class, () -> builds.markRunning("team-a/api", 7, Instant.now()));
        assertThrows(NoSuchElementException.class, () -> builds.markRunning("nope", 1, Instant.now()));
        builds.create("team-a/api", Map.of(), "x");
        assertThrows(IllegalArgumentException.class, () -> builds.complete("team-a/api", 1, "GREEN", 5, List.of(), Map.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> builds.complete("team-a/api", 1, "SUCCESS", -1, List.of(), Map.of(), List.of()));
        assertEquals(BuildStatus.QUEUED, builds.find("team-a/api", 1).orElseThrow().status());
    }

    @Test
    void listIsNewestFirstAndPages() {
        for (int i = 0; i < 7; i++) {
            builds.create("team-a/api", Map.of(), "x");
        }
        assertEquals(List.of(7, 6, 5), numbers(builds.list("team-a/api", 0, 3)));
        assertEquals(List.of(4, 3, 2), numbers(builds.list("team-a/api", 3, 3)));
        assertEquals(List.of(1), numbers(builds.list("team-a/api", 6, 3)));
        assertEquals(List.of(), numbers(builds.list("team-a/api", 7, 3)));
        assertEquals(List.of(), numbers(builds.list("team-a/api", 0, 0)));
        assertEquals(List.of(), numbers(builds.list("nope", 0, 10)));
        assertEquals(0, builds.count("nope"));
        assertTrue(builds.find("nope", 1).isEmpty());
        assertTrue(builds.find("team-a/api", 8).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> builds.list("team-a/api", -1, 3));
    }

    @Test
    void withStatusIsOldestFirstAcrossJobs() throws Exception {
        store.jobs().save("b", "x", 0L);
        builds.create("team-a/api", Map.of(), "x");
        builds.create("b", Map.of(), "x");
        builds.create("team-a/api", Map.of(), "x");
        builds.create("b", Map.of(), "x");
        builds.markRunning("b", 1, Instant.now());
        List<String> queued = builds.withStatus(BuildStatus.QUEUED).stream().map(b -> b.job() + "#" + b.number()).toList();
        assertEquals(List.of("team-a/api#1", "team-a/api#2", "b#2"), queued);
        assertEquals(List.of("b#1"), builds.withStatus(BuildStatus.RUNNING).stream().map(b -> b.job() + "#" + b.number()).toList());
        assertEquals(List.of(), builds.withStatus(BuildStatus.COMPLETED));
    }

    @Test
    void jsonColumnsRoundTripUnicodeAndHostileStrings() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put(HOSTILE, HOSTILE);
        parameters.put("flag", true);
        parameters.put("count", 42);
        parameters.put("big", 12345678901L);
        parameters.put("list", List.of("a", HOSTILE));
        parameters.put("nothing", null);
        builds.create("team-a/api", parameters, HOSTILE);
        builds.markRunning("team-a/api", 1, Instant.now());
        List<StageRow> stages = List.of(new StageRow(HOSTILE, null, "SUCCESS", 1), new StageRow("inner", HOSTILE, "FAILURE", 2));
        Map<String, Integer> tests = Map.of("total", 3, "failed", 1, "skipped", 0, "passed", 2);
        List<String> artifacts = List.of(HOSTILE, "日本語/😀.txt");
        builds.complete("team-a/api", 1, "FAILURE", 3, stages, tests, artifacts);

        BuildRecord b = builds.find("team-a/api", 1).orElseThrow();
        assertEquals(parameters, b.parameters());
        assertEquals(List.copyOf(parameters.keySet()), List.copyOf(b.parameters().keySet()), "parameter order is kept");
        assertEquals(HOSTILE, b.cause());
        assertEquals(stages, b.stages());
        assertEquals(tests, b.tests());
        assertEquals(artifacts.stream().sorted().toList(), b.artifacts());
        assertNotNull(store.jobs().find("team-a/api").orElse(null), "the jobs table is still there");
    }

    @Test
    void readingBuildsDoesNotWriteToTheDatabaseFile() throws Exception {
        List<StageRow> stages = IntStream.range(0, 40).mapToObj(i -> new StageRow("stage " + i + " " + "x".repeat(50), null, "SUCCESS", i)).toList();
        for (int i = 1; i <= 60; i++) {
            builds.create("team-a/api", Map.of("LONG", "p".repeat(2000)), "x");
            builds.complete("team-a/api", i, "SUCCESS", 1, stages, Map.of("total", 1), List.of("a".repeat(1000)));
        }
        Path db = home.resolve("db/gantry.mv.db");
        long before = java.nio.file.Files.size(db);
        for (int i = 0; i < 300; i++) {
            assertEquals(50, builds.list("team-a/api", 0, 50).size());
            assertEquals(stages, builds.find("team-a/api", 1 + i % 60).orElseThrow().stages());
        }
        long after = java.nio.file.Files.size(db);
        assertTrue(after - before < 1024 * 1024, "reads grew the database file from " + before + " to " + after + " bytes");
    }

    @Test
    void oversizedJsonIsRefusedWithItsSize() {
        builds.create("team-a/api", Map.of(), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builds.updateStages("team-a/api", 1, List.of(new StageRow("s".repeat(1_000_001), null, null, 0))));
        assertTrue(e.getMessage().contains("stages"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builds.create("team-a/api", Map.of("P", "v".repeat(1_000_001)), "x"));
    }

    private static List<Integer> numbers(List<BuildRecord> list) {
        return list.stream().map(BuildRecord::number).toList();
    }
}
