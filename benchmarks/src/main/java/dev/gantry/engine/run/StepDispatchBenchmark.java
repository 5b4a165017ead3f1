package dev.gantry.engine.run;

import dev.gantry.api.Result;
import dev.gantry.engine.local.LocalRun;
import dev.gantry.engine.steps.StepLibrary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Step dispatch: a whole build of 100 steps in-process (the script compiled once and cached, as
 * the controller does for a saved job), per step: the sandbox's checks, argument binding, the
 * journal, the stage/step bookkeeping and the log line. {@code echo} does no work of its own;
 * {@code writeFile} adds a small file write in the workspace.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StepDispatchBenchmark {
    private static final int STEPS = 100;

    @Param({"echo 'hello'", "writeFile file: 'f.txt', text: 'x'"})
    public String step;

    private StepLibrary library;
    private Path workspace;
    private String script;

    @Setup
    public void setUp() throws IOException {
        library = StepLibrary.builtins();
        workspace = Files.createTempDirectory("gantry-jmh-steps-");
        StringBuilder sb = new StringBuilder("pipeline { agent any\n stages { stage('S') { steps {\n");
        for (int i = 0; i < STEPS; i++) {
            sb.append("    ").append(step).append('\n');
        }
        script = sb.append("} } } }\n").toString();
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public Result buildOf100Steps() throws Exception {
        Result r = new LocalRun(library, workspace).run("Jenkinsfile", script, OutputStream.nullOutputStream()).result();
        if (r != Result.SUCCESS) {
            throw new IllegalStateException("the benchmark's build ended " + r);
        }
        return r;
    }
}
