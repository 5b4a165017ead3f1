package dev.gantry.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that are not ordinary pipelines: empty, binary, not Groovy, huge, many errors at once. */
class LintInputsTest {

    @Test
    void emptyFileIsOneProblemAtTheStart() {
        for (String empty : List.of("", "   \n\n\t\n")) {
            LintResult r = TestSteps.lint(empty);
            assertEquals(List.of(new Problem(1, 1,
                    "the file is empty: a pipeline needs pipeline { ... } or node { ... }")), r.problems());
        }
    }

    @Test
    void commentsOnlyFileHasNoCode() {
        TestSteps.assertProblem("// just a comment\n/* and another */\n", 1, "no code");
    }

    @Test
    void binaryFilesAreNotText(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("image.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d});
        LintResult r = TestSteps.LINTER.lint(png.toString(), Files.readAllBytes(png));
        assertEquals(1, r.problems().size(), TestSteps.show(r));
        assertTrue(r.problems().get(0).message().startsWith("not a text file"));
        LintResult latin1 = TestSteps.LINTER.lint("x", "node { echo 'caf\u00e9' }".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(latin1.problems().get(0).message().startsWith("not a text file"), TestSteps.show(latin1));
        LintResult nulText = TestSteps.lint("node {\0}");
        assertTrue(nulText.problems().get(0).message().startsWith("not a text file"));
        LintResult utf8 = TestSteps.LINTER.lint("x", "node { echo 'caf\u00e9' }".getBytes(StandardCharsets.UTF_8));
        assertTrue(utf8.ok(), TestSteps.show(utf8));
    }

    @Test
    void textThatIsNotGroovyGivesSyntaxErrorsWithoutCompilerNoise() {
        LintResult r = TestSteps.lint("Dear team,\nplease deploy {{ version }} to: prod!!\n");
        assertFalse(r.ok());
        for (Problem p : r.problems()) {
            assertFalse(p.message().contains("startup failed"), p.message());
            assertFalse(p.message().contains("@ line"), p.message());
        }
        TestSteps.assertProblem(r, 2, "syntax");
        LintResult yaml = TestSteps.lint("stages:\n  - build\n  - test: [\n");
        assertFalse(yaml.ok());
    }

    @Test
    void syntaxErrorPositionIsGroovys() {
        LintResult r = TestSteps.lint(TestSteps.inSteps("        echo 'unterminated"));
        assertEquals(1, r.problems().size(), TestSteps.show(r));
        assertEquals(6, r.problems().get(0).line());
        assertEquals(14, r.problems().get(0).column());
        assertEquals(PipelineKind.DECLARATIVE, r.kind());
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        String src = """
                pipeline {
                    agent any
                    stages {
                        stage('A') {
                            stepz { echo 'x' }
                        }
                        stage('B') {
                            steps {
                                ech 'x'
                                sh returnStdout: 'yes', script: 'ls'
                            }
                        }
                        stage('A') {
                            steps { echo 'again' }
                        }
                    }
                    post { alway { echo 'x' } }
                }
                """;
        LintResult r = TestSteps.lint(src);
        TestSteps.assertProblem(r, 5, "stepz", "steps");
        TestSteps.assertProblem(r, 9, "ech", "echo");
        TestSteps.assertProblem(r, 10, "returnStdout", "boolean");
        TestSteps.assertProblem(r, 13, "Duplicate stage name 'A'");
        TestSteps.assertProblem(r, 17, "alway", "always");
        for (int i = 1; i < r.problems().size(); i++) {
            assertTrue(r.problems().get(i - 1).compareTo(r.problems().get(i)) <= 0, "sorted");
        }
    }

    @Test
    void problemFormatsAsFileLineColumnMessage() {
        assertEquals("Jenkinsfile:3:7: oops", new Problem(3, 7, "oops").format("Jenkinsfile"));
    }

    @Test
    void thousandStagesLintClean() {
        StringBuilder sb = new StringBuilder("pipeline {\n  agent any\n  stages {\n");
        for (int i = 0; i < 1000; i++) {
            sb.append("    stage('Stage ").append(i).append("') {\n      steps {\n        echo 'step ").append(i)
                    .append("'\n        sh 'make part-").append(i).append("'\n      }\n    }\n");
        }
        sb.append("  }\n}\n");
        TestSteps.assertClean(sb.toString());
    }

    @Test
    void fiveMegabyteScriptLintsClean() {
        StringBuilder sb = new StringBuilder("node {\n");
        int i = 0;
        while (sb.length() < 5_000_000) {
            sb.append("  stage('s").append(i).append("') { def x").append(i).append(" = sh(script: 'echo ").append(i)
                    .append("', returnStdout: true).trim(); if (x").append(i).append(" == '3') { echo \"got ${x")
                    .append(i).append("}\" } }\n");
            i++;
        }
        sb.append("}\n");
        LintResult r = TestSteps.lint(sb.toString());
        assertTrue(r.ok(), () -> TestSteps.show(r));
        assertEquals(PipelineKind.SCRIPTED, r.kind());
    }

    @Test
    void deeplyNestedInputDoesNotThrow() {
        String deep = "node {\n echo " + "(".repeat(400) + "1" + ")".repeat(400) + "\n}\n";
        LintResult r = TestSteps.lint(deep);
        for (Problem p : r.problems()) {
            assertTrue(p.line() >= 1);
        }
    }

    @Test
    void oneLinterServesManyThreads() throws Exception {
        String bad = TestSteps.inSteps("        ech 'x'");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<LintResult>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> TestSteps.lint(bad)));
            }
            for (Future<LintResult> f : results) {
                TestSteps.assertProblem(f.get(), 6, "Unknown step 'ech'; did you mean 'echo'?");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
