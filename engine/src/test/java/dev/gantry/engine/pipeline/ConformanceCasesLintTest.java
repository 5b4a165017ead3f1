package dev.gantry.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shared conformance cases: lint cases report what check.py expects, the others lint clean. */
class ConformanceCasesLintTest {
    private static final Pattern LINT_ERROR = Pattern.compile("^// expect lint-error: line=(\\d+)\\s+contains=(.*)$",
            Pattern.MULTILINE);

    static Path casesDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared/conformance/cases");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("shared/conformance/cases not found above " + Path.of("").toAbsolutePath()
                + "; the conformance cases sit beside the project checkout");
    }

    private static List<Path> cases() throws IOException {
        try (Stream<Path> s = Files.list(casesDirectory())) {
            return s.filter(p -> p.toString().endsWith(".groovy")).sorted().toList();
        }
    }

    @Test
    void lintCasesReportTheExpectedLineAndText() throws IOException {
        int lintCases = 0;
        for (Path p : cases()) {
            String text = Files.readString(p);
            Matcher m = LINT_ERROR.matcher(text);
            if (!m.find()) {
                continue;
            }
            lintCases++;
            int line = Integer.parseInt(m.group(1));
            String needle = m.group(2).strip().toLowerCase();
            LintResult r = TestSteps.LINTER.lint(p.getFileName().toString(), Files.readAllBytes(p));
            assertFalse(r.ok(), p + " must not lint clean");
            String name = p.getFileName().toString();
            List<String> hits = new ArrayList<>();
            for (Problem problem : r.problems()) {
                if (problem.line() == line) {
                    hits.add(problem.format(name));
                }
            }
            assertTrue(hits.stream().anyMatch(h -> h.toLowerCase().contains(needle)),
                    () -> name + ": expected a problem at line " + line + " mentioning '" + needle + "', got:\n"
                            + TestSteps.show(r));
        }
        assertEquals(6, lintCases, "the conformance suite has six lint cases");
    }

    @Test
    void everyOtherCaseLintsClean() throws IOException {
        int clean = 0;
        for (Path p : cases()) {
            String text = Files.readString(p);
            if (LINT_ERROR.matcher(text).find()) {
                continue;
            }
            clean++;
            LintResult r = TestSteps.LINTER.lint(p.getFileName().toString(), Files.readAllBytes(p));
            assertTrue(r.ok(), () -> p.getFileName() + " should lint clean:\n" + TestSteps.show(r));
        }
        assertEquals(21, clean);
    }

    @Test
    void kindsFollowTheTopLevelPipelineBlock() throws IOException {
        Path dir = casesDirectory();
        assertEquals(PipelineKind.DECLARATIVE, TestSteps.lint(Files.readString(dir.resolve("01-hello.groovy"))).kind());
        assertEquals(PipelineKind.SCRIPTED,
                TestSteps.lint(Files.readString(dir.resolve("14-scripted-node.groovy"))).kind());
        assertEquals(PipelineKind.DECLARATIVE,
                TestSteps.lint(Files.readString(dir.resolve("25-invalid-groovy-syntax.groovy"))).kind());
    }
}
