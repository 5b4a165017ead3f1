package dev.gantry.engine.server;

import dev.gantry.engine.run.LogSink;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Log ingest as a build's output reaches the controller: chunks of whole lines written through
 * the build's log (the append-only file and its index) in a real store on disk. One operation is
 * one line of 80 bytes; the figure in ns/op gives the throughput (12.5 ns/line = 6.4 GB/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LogIngestBenchmark {
    private static final int LINES_PER_CHUNK = 100;
    private static final LogSink.LogSource SOURCE = new LogSink.LogSource("Build", "3", null, false);
    private LogBench bench;
    private LogSink log;
    private byte[] chunk;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        bench = new LogBench();
        chunk = LogBench.lines(LINES_PER_CHUNK);
    }

    /** A new build's log per iteration, so that the file does not grow without bound. */
    @Setup(Level.Iteration)
    public void openLog() throws IOException {
        log = bench.newBuildLog();
    }

    @TearDown(Level.Iteration)
    public void closeLog() {
        bench.closeBuildLog();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        bench.close();
    }

    /** 100 lines of 80 bytes in one chunk, as a process's pipe delivers them. */
    @Benchmark
    @OperationsPerInvocation(LINES_PER_CHUNK)
    public void chunkOf100Lines() {
        log.chunk(SOURCE, chunk, 0, chunk.length, true, true);
    }
}
