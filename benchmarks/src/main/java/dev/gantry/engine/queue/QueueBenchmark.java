package dev.gantry.engine.queue;

import dev.gantry.engine.jobs.JobOptions;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Queue operations as the dispatcher does them: submit a build, take it, mark it finished, with
 * {@code depth} other builds already waiting (serial jobs whose previous build still runs, which
 * {@code take} has to step over).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QueueBenchmark {
    private static final JobOptions SERIAL = new JobOptions(null, true, null, null);

    @Param({"0", "1000"})
    public int depth;

    private BuildQueue queue;
    private int number;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        queue = new BuildQueue((job, n, reason) -> { });
        for (int i = 0; i < depth; i++) {
            String job = "blocked-" + i;
            queue.submit(job, Map.of(), SERIAL, () -> build(job, 1));
            queue.submit(job, Map.of(), SERIAL, () -> build(job, 2));
            if (queue.take(1000) == null) {
                throw new IllegalStateException("setup: the first build of " + job + " did not leave the queue");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        queue.close();
    }

    /** One build through the queue: submit, take, finished. */
    @Benchmark
    public BuildRecord submitTakeFinish() throws InterruptedException {
        int n = ++number;
        queue.submit("hot", Map.of(), JobOptions.NONE, () -> build("hot", n));
        BuildRecord b = queue.take(1000);
        queue.finished(b.job(), b.number());
        return b;
    }

    private static BuildRecord build(String job, int number) {
        return new BuildRecord(job, number, BuildStatus.QUEUED, null, Instant.now(), null, 0, Map.of(), List.of(), Map.of(), List.of(),
                "Started by benchmark", List.of());
    }
}
