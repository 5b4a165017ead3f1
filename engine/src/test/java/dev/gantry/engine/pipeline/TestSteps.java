package dev.gantry.engine.pipeline;

import dev.gantry.api.step.BodyKind;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.engine.steps.StepLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;

/** Real-looking step descriptors for linter tests; their run() is never meant to be called. */
final class TestSteps {
    private TestSteps() {
    }

    private record DescribedStep(StepDescriptor descriptor) implements Step {
        @Override
        public Object run(StepContext context, StepArguments arguments) {
            throw new UnsupportedOperationException("the linter must never run a step: " + descriptor.name());
        }
    }

    private static StepDescriptor.Builder s(String name) {
        return StepDescriptor.builder(name);
    }

    static StepLibrary library() {
        List<StepDescriptor> d = new ArrayList<>();
        d.add(s("echo").required("message", ParamType.STRING, "text").positional("message").build());
        d.add(s("sh").required("script", ParamType.STRING, "").positional("script")
                .optional("returnStdout", ParamType.BOOLEAN, false, "").optional("returnStatus", ParamType.BOOLEAN, false, "")
                .optional("label", ParamType.STRING, null, "").optional("encoding", ParamType.STRING, null, "")
                .needsWorkspace().build());
        d.add(s("dir").required("path", ParamType.STRING, "").positional("path").body(BodyKind.REQUIRED).build());
        d.add(s("retry").required("count", ParamType.INTEGER, "").positional("count").body(BodyKind.REQUIRED).build());
        d.add(s("timeout").required("time", ParamType.INTEGER, "").positional("time")
                .choice("unit", false, "MINUTES", List.of("SECONDS", "MINUTES", "HOURS", "DAYS"), "")
                .optional("activity", ParamType.BOOLEAN, false, "").body(BodyKind.REQUIRED).build());
        d.add(s("parallel").optional("branches", ParamType.BODY_MAP, null, "").rest("branches")
                .optional("failFast", ParamType.BOOLEAN, false, "").build());
        d.add(s("node").optional("label", ParamType.STRING, null, "").positional("label").body(BodyKind.REQUIRED).build());
        d.add(s("stage").required("name", ParamType.STRING, "").positional("name").body(BodyKind.REQUIRED).build());
        d.add(s("error").required("message", ParamType.STRING, "").positional("message").build());
        d.add(s("writeFile").required("file", ParamType.STRING, "").required("text", ParamType.STRING, "").build());
        d.add(s("junit").required("testResults", ParamType.STRING, "").positional("testResults")
                .optional("allowEmptyResults", ParamType.BOOLEAN, false, "").build());
        // What the conformance cases and realistic pipelines also call.
        d.add(s("catchError").optional("buildResult", ParamType.STRING, "FAILURE", "")
                .optional("stageResult", ParamType.STRING, "SUCCESS", "").optional("message", ParamType.STRING, null, "")
                .body(BodyKind.REQUIRED).build());
        d.add(s("readFile").required("file", ParamType.STRING, "").positional("file").build());
        d.add(s("fileExists").required("file", ParamType.STRING, "").positional("file").build());
        d.add(s("deleteDir").build());
        d.add(s("stash").required("name", ParamType.STRING, "").positional("name")
                .optional("includes", ParamType.STRING, null, "").optional("excludes", ParamType.STRING, null, "").build());
        d.add(s("unstash").required("name", ParamType.STRING, "").positional("name").build());
        d.add(s("withEnv").required("overrides", ParamType.STRING_LIST, "").positional("overrides")
                .body(BodyKind.REQUIRED).build());
        d.add(s("unstable").required("message", ParamType.STRING, "").positional("message").build());
        d.add(s("archiveArtifacts").required("artifacts", ParamType.STRING, "").positional("artifacts")
                .optional("fingerprint", ParamType.BOOLEAN, false, "")
                .optional("allowEmptyArchive", ParamType.BOOLEAN, false, "").build());
        d.add(s("checkout").required("scm", ParamType.ANY, "").positional("scm").build());
        d.add(s("input").required("message", ParamType.STRING, "").positional("message")
                .optional("ok", ParamType.STRING, null, "").optional("parameters", ParamType.LIST, null, "").build());
        d.add(s("withCredentials").required("bindings", ParamType.LIST, "").positional("bindings")
                .body(BodyKind.REQUIRED).build());
        d.add(s("sleep").required("time", ParamType.INTEGER, "").positional("time").build());
        d.add(s("cleanWs").build());
        List<Step> steps = new ArrayList<>();
        for (StepDescriptor sd : d) {
            steps.add(new DescribedStep(sd));
        }
        return StepLibrary.of(steps);
    }

    static final PipelineLinter LINTER = new PipelineLinter(library());

    static LintResult lint(String source) {
        return LINTER.lint("Jenkinsfile", source);
    }

    static String show(LintResult r) {
        return r.problems().stream().map(p -> p.format("Jenkinsfile")).collect(Collectors.joining("\n"));
    }

    static void assertClean(String source) {
        LintResult r = lint(source);
        Assertions.assertTrue(r.ok(), () -> "expected no problems, got:\n" + show(r));
    }

    /** Asserts a problem at {@code line} whose message contains every fragment (ignoring case). */
    static LintResult assertProblem(String source, int line, String... fragments) {
        LintResult r = lint(source);
        assertProblem(r, line, fragments);
        return r;
    }

    static void assertProblem(LintResult r, int line, String... fragments) {
        boolean found = r.problems().stream().anyMatch(p -> p.line() == line && Set.of(fragments).stream()
                .allMatch(f -> p.message().toLowerCase().contains(f.toLowerCase())));
        Assertions.assertTrue(found, () -> "expected a problem at line " + line + " mentioning "
                + List.of(fragments) + ", got:\n" + show(r));
    }

    /** A declarative pipeline whose single stage has these steps (the steps start on line 6). */
    static String inSteps(String steps) {
        return "pipeline {\n  agent any\n  stages {\n    stage('S') {\n      steps {\n" + steps
                + "\n      }\n    }\n  }\n}\n";
    }
}
