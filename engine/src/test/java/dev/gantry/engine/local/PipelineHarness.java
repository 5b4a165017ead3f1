package dev.gantry.engine.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gantry.api.Result;
import dev.gantry.engine.pipeline.LintResult;
import dev.gantry.engine.pipeline.PipelineLinter;
import dev.gantry.engine.steps.StepLibrary;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Runs a pipeline in-process exactly as {@code gantry run} does (lint, then run on a local
 * workspace) and gives the result, the console log and the report to assert on.
 */
public final class PipelineHarness {
    static final StepLibrary STEPS = StepLibrary.builtins();

    private PipelineHarness() {
    }

    /** Lints and runs {@code script} in {@code dir}/ws; fails the test when the pipeline is invalid. */
    public static Ran run(Path dir, String script) throws Exception {
        return run(dir, script, r -> r);
    }

    public static Ran run(Path dir, String script, UnaryOperator<LocalRun> configure) throws Exception {
        LintResult lint = new PipelineLinter(STEPS).lint("Jenkinsfile", script);
        if (!lint.ok()) {
            fail("the pipeline does not lint:\n" + lint.problems().stream().map(p -> p.format("Jenkinsfile")).collect(Collectors.joining("\n")));
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LocalRun.Outcome o = configure.apply(new LocalRun(STEPS, dir.resolve("ws")).job("test-job")).run("Jenkinsfile", script, log);
        return new Ran(o.result(), log.toString(StandardCharsets.UTF_8), o.report(), dir.resolve("ws"));
    }

    /** The lint problems of {@code script}, formatted {@code Jenkinsfile:L:C: message}. */
    public static List<String> lint(String script) {
        return new PipelineLinter(STEPS).lint("Jenkinsfile", script).problems().stream().map(p -> p.format("Jenkinsfile")).toList();
    }

    /** A finished run. */
    public record Ran(Result result, String log, Map<String, Object> report, Path workspace) {
        public Ran assertResult(Result expected) {
            assertEquals(expected, result, () -> "result; log:\n" + log);
            return this;
        }

        public Ran assertLog(String... needles) {
            for (String n : needles) {
                assertTrue(log.contains(n), () -> "log lacks '" + n + "'; log:\n" + log);
            }
            return this;
        }

        public Ran assertNoLog(String... needles) {
            for (String n : needles) {
                assertTrue(!log.contains(n), () -> "log has '" + n + "'; log:\n" + log);
            }
            return this;
        }

        /** Asserts that the needles appear in this order. */
        public Ran assertLogOrder(String... needles) {
            int at = -1;
            for (String n : needles) {
                int i = log.indexOf(n, at + 1);
                int atNow = at;
                assertTrue(i > atNow, () -> "'" + n + "' does not follow in order; log:\n" + log);
                at = i;
            }
            return this;
        }

        /** The result of the stage called {@code name} (the first one, if several). */
        @SuppressWarnings("unchecked")
        public String stage(String name) {
            for (Map<String, Object> s : (List<Map<String, Object>>) report.get("stages")) {
                if (name.equals(s.get("name"))) {
                    return String.valueOf(s.get("result"));
                }
            }
            return fail("no stage " + name + " in " + report.get("stages") + "; log:\n" + log);
        }

        /** Asserts that the first stage called {@code name} is nested in a stage called {@code parent} (null: top level). */
        @SuppressWarnings("unchecked")
        public Ran assertParent(String name, String parent) {
            for (Map<String, Object> s : (List<Map<String, Object>>) report.get("stages")) {
                if (name.equals(s.get("name"))) {
                    assertEquals(parent, s.get("parent"), () -> "parent of stage " + name + "; stages " + report.get("stages"));
                    return this;
                }
            }
            return fail("no stage " + name + " in " + report.get("stages"));
        }

        public Ran assertStage(String name, String expected) {
            assertEquals(expected, stage(name), () -> "stage " + name + "; log:\n" + log);
            return this;
        }
    }
}
