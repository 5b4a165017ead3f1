package dev.gantry.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRepositoryTest {
    @TempDir
    Path home;
    Store store;
    JobRepository jobs;

    @BeforeEach
    void open() {
        store = Store.open(home);
        jobs = store.jobs();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void createOnlyWithVersionZeroStartsAtVersionOne() throws Exception {
        JobRecord created = jobs.save("team-a/api", "pipeline { }", 0L);
        assertEquals("team-a/api", created.name());
        assertEquals("pipeline { }", created.script());
        assertEquals(1, created.version());
        assertEquals(created.created(), created.updated());
        assertEquals(created, jobs.find("team-a/api").orElseThrow());
    }

    @Test
    void createOnlyRefusesAnExistingJob() throws Exception {
        jobs.save("api", "one", 0L);
        StaleVersionException e = assertThrows(StaleVersionException.class, () -> jobs.save("api", "two", 0L));
        assertEquals(1, e.current());
        assertEquals("one", jobs.find("api").orElseThrow().script());
    }

    @Test
    void updateWithTheCurrentVersionIncrementsIt() throws Exception {
        JobRecord v1 = jobs.save("api", "one", 0L);
        JobRecord v2 = jobs.save("api", "two", 1L);
        assertEquals(2, v2.version());
        assertEquals("two", v2.script());
        assertEquals(v1.created(), v2.created());
        assertFalse(v2.updated().isBefore(v1.updated()));
    }

    @Test
    void staleVersionIsRejectedAndNamesTheCurrentOne() throws Exception {
        jobs.save("api", "one", 0L);
        jobs.save("api", "two", 1L);
        StaleVersionException e = assertThrows(StaleVersionException.class, () -> jobs.save("api", "three", 1L));
        assertEquals(2, e.current());
        assertTrue(e.getMessage().contains("'api'"), e.getMessage());
        assertEquals("two", jobs.find("api").orElseThrow().script());
    }

    @Test
    void updatingAMissingJobWithAVersionIsStaleAtZero() {
        StaleVersionException e = assertThrows(StaleVersionException.class, () -> jobs.save("ghost", "x", 3L));
        assertEquals(0, e.current());
        assertTrue(jobs.find("ghost").isEmpty());
    }

    @Test
    void nullVersionCreatesOrOverwrites() throws Exception {
        assertEquals(1, jobs.save("api", "one", null).version());
        assertEquals(2, jobs.save("api", "two", null).version());
        assertEquals("two", jobs.find("api").orElseThrow().script());
    }

    @Test
    void negativeVersionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> jobs.save("api", "x", -1L));
    }

    @Test
    void concurrentUpdatesOfTheSameVersionHaveExactlyOneWinner() throws Exception {
        jobs.save("api", "base", 0L);
        for (int round = 0; round < 20; round++) {
            long version = jobs.find("api").orElseThrow().version();
            List<Boolean> won = race(2, i -> {
                try {
                    jobs.save("api", "writer " + i, version);
                    return true;
                } catch (StaleVersionException e) {
                    assertEquals(version + 1, e.current());
                    return false;
                }
            });
            assertEquals(1, won.stream().filter(w -> w).count(), "round " + round + ": " + won);
            JobRecord after = jobs.find("api").orElseThrow();
            assertEquals(version + 1, after.version());
            assertEquals("writer " + won.indexOf(true), after.script());
        }
    }

    @Test
    void concurrentCreatesOfTheSameNameHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 20; round++) {
            String name = "job-" + round;
            List<Boolean> won = race(2, i -> {
                try {
                    jobs.save(name, "writer " + i, 0L);
                    return true;
                } catch (StaleVersionException e) {
                    return false;
                }
            });
            assertEquals(1, won.stream().filter(w -> w).count(), "round " + round + ": " + won);
            assertEquals(1, jobs.find(name).orElseThrow().version());
        }
    }

    @Test
    void concurrentOverwritesAllLand() throws Exception {
        race(4, i -> jobs.save("shared", "writer " + i, null));
        assertEquals(4, jobs.find("shared").orElseThrow().version());
    }

    @Test
    void oversizedScriptsAndNamesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> jobs.save("big", "x".repeat(1_000_001), 0L));
        assertTrue(e.getMessage().contains("'big'") && e.getMessage().contains("1000001"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> jobs.save("n".repeat(1001), "x", 0L));
        assertTrue(jobs.list().isEmpty());
    }

    @Test
    void listIsSortedByName() throws Exception {
        jobs.save("b", "x", 0L);
        jobs.save("a/z", "x", 0L);
        jobs.save("a.x", "x", 0L);
        assertEquals(List.of("a.x", "a/z", "b"), jobs.list().stream().map(JobRecord::name).toList());
    }

    @Test
    void hostileNamesAndScriptsAreStoredVerbatim() throws Exception {
        List<String> hostile = List.of("'; DROP TABLE jobs; --", "x\" OR \"1\"=\"1", "<img src=x onerror=alert(1)>",
                "tab\tnew\nline\u0000nul\u001b[31m", "ünïcødé/日本語/😀", "%' OR 1=1 --", "a\\b");
        for (String s : hostile) {
            jobs.save(s, s, 0L);
        }
        for (String s : hostile) {
            JobRecord found = jobs.find(s).orElseThrow(() -> new AssertionError("not found: " + s));
            assertEquals(s, found.name());
            assertEquals(s, found.script());
        }
        assertEquals(hostile.size(), jobs.list().size());
        assertTrue(jobs.find("%").isEmpty(), "names are compared exactly, not as patterns");
    }

    @Test
    void deleteReportsWhetherThereWasAJob() throws Exception {
        jobs.save("api", "x", 0L);
        assertTrue(jobs.delete("api"));
        assertFalse(jobs.delete("api"));
        assertTrue(jobs.find("api").isEmpty());
        assertEquals(1, jobs.save("api", "again", 0L).version(), "a deleted job can be created again from scratch");
    }

    interface Racer<T> {
        T run(int index) throws Exception;
    }

    /** Starts {@code n} calls as close together as a latch allows and returns their results by index. */
    static <T> List<T> race(int n, Racer<T> racer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<T> call = () -> {
                    ready.countDown();
                    go.await();
                    return racer.run(index);
                };
                futures.add(pool.submit(call));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
