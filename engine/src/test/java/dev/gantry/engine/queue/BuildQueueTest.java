package dev.gantry.engine.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.jobs.JobOptions;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BuildQueueTest {
    private final List<String> aborted = new CopyOnWriteArrayList<>();
    private final BuildQueue queue = new BuildQueue((job, number, reason) -> aborted.add(job + "#" + number + " " + reason));
    private final AtomicInteger numbers = new AtomicInteger();

    @AfterEach
    void close() {
        queue.close();
    }

    private BuildRecord submit(String job, Map<String, Object> params, JobOptions options) {
        return queue.submit(job, params, options, () -> new BuildRecord(job, numbers.incrementAndGet(), BuildStatus.QUEUED, null,
                Instant.now(), null, 0, params, List.of(), Map.of(), List.of(), "test"));
    }

    @Test
    void aQuietPeriodDelaysTheBuildAndMergesIdenticalTriggers() throws Exception {
        JobOptions quiet = new JobOptions(1, null, null, null);
        long start = System.nanoTime();
        BuildRecord first = submit("j", Map.of("A", "1"), quiet);
        assertSame(first, submit("j", Map.of("A", "1"), quiet));
        assertSame(first, submit("j", Map.of("A", "1"), quiet));
        BuildRecord other = submit("j", Map.of("A", "2"), quiet);
        assertEquals(2, other.number(), "different parameters make a build of their own");
        assertEquals(2, queue.size());
        assertTrue(queue.why("j", 1).orElseThrow().startsWith("In the quiet period. Expires in "), queue.items().toString());
        assertNull(queue.take(100));
        BuildRecord taken = queue.take(10_000);
        assertEquals(1, taken.number());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1000), "started before the quiet period ended");
        assertEquals(2, queue.take(10_000).number());
    }

    @Test
    void withoutAQuietPeriodEveryTriggerIsABuild() {
        submit("j", Map.of(), JobOptions.NONE);
        submit("j", Map.of(), JobOptions.NONE);
        assertEquals(2, queue.size());
    }

    @Test
    void disableConcurrentBuildsKeepsTheNextBuildQueuedAndSaysWhy() throws Exception {
        JobOptions serial = new JobOptions(null, true, false, null);
        submit("j", Map.of(), serial);
        submit("j", Map.of(), serial);
        submit("other", Map.of(), JobOptions.NONE);
        assertEquals(1, queue.take(1000).number());
        assertEquals("other", queue.take(1000).job(), "another job is not held up");
        assertNull(queue.take(100));
        assertEquals("Build #1 is already in progress", queue.why("j", 2).orElseThrow());
        queue.finished("j", 1);
        assertEquals(2, queue.take(1000).number());
        assertTrue(aborted.isEmpty());
    }

    @Test
    void concurrentBuildsRunTogetherByDefault() throws Exception {
        submit("j", Map.of(), JobOptions.NONE);
        submit("j", Map.of(), JobOptions.NONE);
        assertEquals(1, queue.take(1000).number());
        assertEquals(2, queue.take(1000).number());
        submit("j", Map.of(), JobOptions.NONE);
        assertEquals("Waiting for next available executor", queue.why("j", 3).orElseThrow());
    }

    @Test
    void abortPreviousAbortsTheRunningBuildOnceEvenWithNoFreeExecutor() throws Exception {
        JobOptions abort = new JobOptions(null, true, true, null);
        submit("j", Map.of(), abort);
        assertEquals(1, queue.take(1000).number());
        submit("j", Map.of(), abort);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (aborted.isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        assertEquals(List.of("j#1 Superseded by #2 (disableConcurrentBuilds abortPrevious)"), aborted);
        assertTrue(queue.why("j", 2).orElseThrow().contains("being aborted"), queue.items().toString());
        queue.finished("j", 1);
        assertEquals(2, queue.take(1000).number());
        assertEquals(1, aborted.size());
    }

    @Test
    void removedBuildsNeverStart() throws Exception {
        submit("j", Map.of(), JobOptions.NONE);
        assertTrue(queue.remove("j", 1));
        assertNull(queue.take(50));
        assertTrue(!queue.remove("j", 1));
    }
}
