package dev.gantry.engine.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Label matching as placement does it: an expression against every node of a 50-agent fleet,
 * and parsing an expression (done once per node request).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LabelMatchBenchmark {
    private static final String EXPRESSION = "linux && (docker || podman) && !windows && java21";
    private final List<Set<String>> fleet = new ArrayList<>();
    private LabelExpression parsed;

    @Setup
    public void setUp() {
        for (int i = 0; i < 50; i++) {
            fleet.add(i % 5 == 0 ? Set.of("agent-" + i, "windows", "java21") : Set.of("agent-" + i, "linux", i % 2 == 0 ? "docker" : "podman", "java21", "x86_64"));
        }
        parsed = LabelExpression.parse(EXPRESSION);
    }

    /** Parsing the expression of one {@code agent { label ... }}. */
    @Benchmark
    public LabelExpression parse() {
        return LabelExpression.parse(EXPRESSION);
    }

    /** Matching one expression against the 50 nodes: the count that match. */
    @Benchmark
    public int matchFleetOf50() {
        int n = 0;
        for (Set<String> labels : fleet) {
            if (parsed.matches(labels)) {
                n++;
            }
        }
        return n;
    }
}
