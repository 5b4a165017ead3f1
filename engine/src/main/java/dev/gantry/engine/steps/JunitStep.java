package dev.gantry.engine.steps;

import dev.gantry.api.Result;
import dev.gantry.api.build.TestCaseResult;
import dev.gantry.api.build.TestResults;
import dev.gantry.api.step.Console;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.FileSelection;
import dev.gantry.api.workspace.Workspace;
import dev.gantry.engine.testresults.JUnitXmlReader;
import dev.gantry.engine.testresults.JUnitXmlReader.StdioRetention;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code junit} step: records JUnit XML test reports found in the workspace into the build's
 * {@link TestResults} and marks the build UNSTABLE when a test failed, as Jenkins' JUnit plugin
 * does. Stateless and thread-safe.
 */
public final class JunitStep implements Step {
    /** Jenkins' wording, which users search for. */
    static final String NO_FILES = "No test report files were found. Configuration error?";
    static final String NO_RESULTS = "None of the test reports contained any result";
    private static final int FAILURES_LISTED = 10;

    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("junit")
            .help("Records JUnit XML test reports (Surefire, Gradle, pytest, Jest, Go, ...) found in the workspace"
                    + " and marks the build and stage UNSTABLE when a test failed. Returns the counts of the"
                    + " recorded tests: totalCount, failCount, skipCount, passCount.")
            .required("testResults", ParamType.STRING, "Ant-style patterns of the report files, comma-separated,"
                    + " relative to the current directory: '**/target/surefire-reports/TEST-*.xml'.")
            .positional("testResults")
            .optional("allowEmptyResults", ParamType.BOOLEAN, Boolean.FALSE,
                    "Succeed when no report file matches or the reports hold no test, instead of failing.")
            .optional("skipMarkingBuildUnstable", ParamType.BOOLEAN, Boolean.FALSE,
                    "Leave the build and stage result alone when tests failed.")
            .optional("keepLongStdio", ParamType.BOOLEAN, Boolean.FALSE,
                    "Keep up to 1,048,576 characters of each test's standard output and error instead of"
                            + " trimming them to 1,000 (passing tests) or 100,000 (failing tests).")
            .choice("stdioRetention", false, null, List.of("ALL", "FAILED", "NONE"),
                    "Whose output to keep long: ALL tests, FAILED tests only, or NONE (trimmed);"
                            + " when set, it overrides keepLongStdio.")
            .optional("skipPublishingChecks", ParamType.BOOLEAN, Boolean.FALSE,
                    "Accepted for compatibility with Jenkins; has no effect (Gantry publishes no checks).")
            .optional("checksName", ParamType.STRING, null,
                    "Accepted for compatibility with Jenkins; has no effect (Gantry publishes no checks).")
            .optional("healthScaleFactor", ParamType.ANY, null,
                    "Accepted for compatibility with Jenkins; ignored (Gantry computes no health reports).")
            .optional("testDataPublishers", ParamType.LIST, null,
                    "Accepted for compatibility with Jenkins; ignored (no test data publishers exist in Gantry).")
            .needsWorkspace()
            .build();

    @Override
    public StepDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * Reads every matching report, then records all their cases at once under the current stage:
     * a report that cannot be read fails the step before anything is recorded.
     *
     * @return {@code totalCount}, {@code failCount}, {@code skipCount}, {@code passCount} (Integers)
     *     of the cases this call recorded
     * @throws StepFailedException when no file matches (unless {@code allowEmptyResults}), a file is
     *     not a JUnit report, or the run has no {@link TestResults} service
     */
    @Override
    public Object run(StepContext context, StepArguments arguments) throws Exception {
        String patterns = arguments.string("testResults");
        if (patterns == null || patterns.isBlank()) {
            throw new StepFailedException("junit: testResults is empty; give the report files' pattern,"
                    + " e.g. junit '**/target/surefire-reports/TEST-*.xml'");
        }
        boolean allowEmpty = arguments.bool("allowEmptyResults");
        TestResults store = context.service(TestResults.class).orElseThrow(() -> new StepFailedException(
                "junit: this run has no test result store (no TestResults service), so test results cannot be recorded"));
        JUnitXmlReader reader = new JUnitXmlReader(stdioRetention(arguments));
        Console console = context.console();
        Workspace workspace = context.workspace();

        console.println("Recording test results");
        List<String> files;
        try {
            files = workspace.list(new FileSelection(patterns, null, true));
        } catch (IOException e) {
            throw new StepFailedException("junit: cannot list the files matching '" + patterns + "' in "
                    + workspace.path() + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            if (!allowEmpty) {
                throw new StepFailedException(NO_FILES);
            }
            console.println(NO_RESULTS);
            return summary(List.of());
        }

        List<TestCaseResult> cases = new ArrayList<>();
        for (String file : files) {
            context.checkInterrupted();
            try (InputStream in = workspace.read(file)) {
                cases.addAll(reader.read(in, file));
            } catch (IOException e) {
                throw new StepFailedException("junit: cannot record test report " + file + " (matched by '"
                        + patterns + "'): " + e.getMessage(), e);
            }
        }
        if (cases.isEmpty() && !allowEmpty) {
            throw new StepFailedException(NO_RESULTS + " (" + files.size() + " report file"
                    + (files.size() == 1 ? "" : "s") + " matched '" + patterns + "')");
        }

        store.add(context.run().currentStage(), List.copyOf(cases));
        Map<String, Object> summary = summary(cases);
        int failCount = (Integer) summary.get("failCount");
        console.println(String.format(Locale.ROOT, "Tests: %d, Failures: %d, Skipped: %d (%d report file%s)",
                summary.get("totalCount"), failCount, summary.get("skipCount"), files.size(), files.size() == 1 ? "" : "s"));
        listFailures(console, cases, failCount);
        if (failCount > 0 && !arguments.bool("skipMarkingBuildUnstable")) {
            console.println("Marking the build UNSTABLE: " + failCount + " test" + (failCount == 1 ? "" : "s") + " failed");
            context.run().setResult(Result.UNSTABLE);
            context.run().setStageResult(Result.UNSTABLE);
        }
        return summary;
    }

    private static StdioRetention stdioRetention(StepArguments arguments) {
        String retention = arguments.string("stdioRetention");
        if (retention != null) {
            return StdioRetention.valueOf(retention.strip().toUpperCase(Locale.ROOT));
        }
        return arguments.bool("keepLongStdio") ? StdioRetention.ALL : StdioRetention.NONE;
    }

    private static void listFailures(Console console, List<TestCaseResult> cases, int failCount) {
        int listed = 0;
        for (TestCaseResult c : cases) {
            if (c.status() != TestCaseResult.Status.FAILED) {
                continue;
            }
            if (listed == FAILURES_LISTED) {
                console.println("  ... and " + (failCount - listed) + " more failed tests");
                return;
            }
            String message = c.message() == null ? "" : ": " + firstLine(c.message());
            console.println("  FAILED " + c.className() + "." + c.name() + message);
            listed++;
        }
    }

    private static String firstLine(String text) {
        String line = text.strip();
        int nl = line.indexOf('\n');
        line = nl < 0 ? line : line.substring(0, nl).stripTrailing();
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    /** Journal-friendly counts, named as Jenkins' TestResultSummary properties. */
    private static Map<String, Object> summary(List<TestCaseResult> cases) {
        int failed = 0;
        int skipped = 0;
        for (TestCaseResult c : cases) {
            switch (c.status()) {
                case FAILED -> failed++;
                case SKIPPED -> skipped++;
                case PASSED -> { }
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("totalCount", cases.size());
        summary.put("failCount", failed);
        summary.put("skipCount", skipped);
        summary.put("passCount", cases.size() - failed - skipped);
        return summary;
    }
}
