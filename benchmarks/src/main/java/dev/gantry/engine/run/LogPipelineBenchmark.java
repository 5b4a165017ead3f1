package dev.gantry.engine.run;

import dev.gantry.engine.server.LogBench;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A step's output on its way into the build's log, line by line, as on the controller: the step's
 * line splitter, the secret masking, the resumable sink (which counts each writer's lines), then
 * the build's log (console printer, append-only file and its index) in a real store on disk. One
 * operation is one line of 80 bytes; the process's output arrives in 8 KB pieces, as a pipe
 * delivers it. {@code secrets}: none (W5's case) or one secret bound, so every line is masked.
 * ({@link LogIngestBenchmark} in {@code server} measures the build's log alone, whole chunks.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LogPipelineBenchmark {
    private static final int LINES = 100;
    private static final LogSink.LogSource SOURCE = new LogSink.LogSource("Build", "3", null, false);

    @Param({"none", "one"})
    public String secrets;

    private LogBench bench;
    private LineSplittingStream step;
    private byte[] output;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        bench = new LogBench();
        output = LogBench.lines(LINES);
    }

    /** A new build's log per iteration, so that the file does not grow without bound. */
    @Setup(Level.Iteration)
    public void openLog() throws Exception {
        BuildSecrets bound = new BuildSecrets();
        if (secrets.equals("one")) {
            bound.add("TOKEN", "tok-5f1c2a9e7b3d4c60");
        }
        LogSink resumable = new ResumableLogSink(bench.newBuildLog(), () -> new long[] {0, 0}, Map.of(), id -> false);
        step = new LineSplittingStream(new MaskingLogSink(resumable, bound), SOURCE, () -> { });
    }

    @TearDown(Level.Iteration)
    public void closeLog() {
        bench.closeBuildLog();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        bench.close();
    }

    /** 100 lines of 80 bytes in one piece of a process's output. */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void lines() {
        step.write(output, 0, output.length);
    }
}
