package dev.gantry.engine.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.api.build.NodeLease;
import dev.gantry.api.build.RunControl;
import dev.gantry.api.build.TestCaseResult.Status;
import dev.gantry.api.build.TestResults;
import dev.gantry.api.step.Body;
import dev.gantry.api.step.Cancellation;
import dev.gantry.api.step.Console;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.ParameterSpec;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.FileSelection;
import dev.gantry.api.workspace.ProcessSpec;
import dev.gantry.api.workspace.RunningProcess;
import dev.gantry.api.workspace.Workspace;
import dev.gantry.engine.testresults.InMemoryTestResults;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JunitStepTest {
    private static final String TWO_PASS_ONE_FAIL_ONE_SKIP = """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuite name="com.example.ATest" tests="4">
              <testcase classname="com.example.ATest" name="one" time="0.1"/>
              <testcase classname="com.example.ATest" name="two" time="0.1"/>
              <testcase classname="com.example.ATest" name="three" time="0.1">
                <failure message="expected 1 but was 2">java.lang.AssertionError: expected 1 but was 2</failure>
              </testcase>
              <testcase classname="com.example.ATest" name="four"><skipped message="later"/></testcase>
            </testsuite>
            """;
    private static final String ONE_PASS = """
            <testsuites><testsuite name="b"><testcase classname="B" name="ok" time="1"/></testsuite></testsuites>
            """;

    @TempDir
    Path dir;
    private final JunitStep step = new JunitStep();
    private InMemoryTestResults store;
    private Context context;

    @BeforeEach
    void setUp() {
        store = new InMemoryTestResults();
        context = new Context(new DirectoryWorkspace(dir), "Test", store);
    }

    private void write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private Object run(Map<String, Object> args) throws Exception {
        return step.run(context, new Arguments(step.descriptor(), args));
    }

    @Test
    void descriptorDeclaresJenkinsParametersWithTestResultsPositional() {
        StepDescriptor d = step.descriptor();

        assertEquals("junit", d.name());
        assertEquals("testResults", d.positional());
        assertTrue(d.needsWorkspace());
        assertTrue(d.parameters().get("testResults").required());
        assertEquals(ParamType.STRING, d.parameters().get("testResults").type());
        for (String flag : List.of("allowEmptyResults", "skipMarkingBuildUnstable", "skipPublishingChecks", "keepLongStdio")) {
            ParameterSpec p = d.parameters().get(flag);
            assertEquals(ParamType.BOOLEAN, p.type(), flag);
            assertEquals(Boolean.FALSE, p.defaultValue(), flag);
        }
        assertEquals(ParamType.ANY, d.parameters().get("healthScaleFactor").type());
        assertEquals(ParamType.LIST, d.parameters().get("testDataPublishers").type());
        assertTrue(d.parameters().get("skipPublishingChecks").help().contains("no effect"));
    }

    @Test
    void patternsMatchSeveralFilesAndAllCasesAreRecordedUnderTheStage() throws Exception {
        write("mod-a/target/surefire-reports/TEST-com.example.ATest.xml", TWO_PASS_ONE_FAIL_ONE_SKIP);
        write("mod-b/target/surefire-reports/TEST-B.xml", ONE_PASS);
        write("mod-b/target/surefire-reports/B.txt", "not a report, not matched");
        write("py/results.xml", ONE_PASS);

        Object summary = run(Map.of("testResults", "**/target/surefire-reports/TEST-*.xml, py/*.xml"));

        assertEquals(Map.of("totalCount", 6, "failCount", 1, "skipCount", 1, "passCount", 4), summary);
        assertEquals(new TestResults.Summary(6, 1, 1), store.summary());
        assertTrue(store.cases().stream().allMatch(e -> "Test".equals(e.stage())));
        assertEquals(List.of("one", "two", "three", "four", "ok", "ok"),
                store.cases().stream().map(e -> e.testCase().name()).toList());
        assertEquals("Recording test results", context.lines.get(0));
        assertTrue(context.lines.contains("Tests: 6, Failures: 1, Skipped: 1 (3 report files)"), context.lines::toString);
        assertTrue(context.lines.contains("  FAILED com.example.ATest.three: expected 1 but was 2"), context.lines::toString);
    }

    @Test
    void noMatchingFileFailsWithJenkinsWording() throws IOException {
        write("build/other.xml", ONE_PASS);

        StepFailedException e = assertThrows(StepFailedException.class,
                () -> run(Map.of("testResults", "**/surefire-reports/*.xml")));

        assertEquals("No test report files were found. Configuration error?", e.getMessage());
        assertEquals(new TestResults.Summary(0, 0, 0), store.summary());
        assertEquals(Result.SUCCESS, context.run.result);
    }

    @Test
    void allowEmptyResultsSucceedsWithZeroCountsWhenNothingMatches() throws Exception {
        Object summary = run(Map.of("testResults", "**/surefire-reports/*.xml", "allowEmptyResults", true));

        assertEquals(Map.of("totalCount", 0, "failCount", 0, "skipCount", 0, "passCount", 0), summary);
        assertEquals(Result.SUCCESS, context.run.result);
        assertTrue(context.lines.contains("None of the test reports contained any result"), context.lines::toString);
    }

    @Test
    void reportsWithoutAnyTestCaseFailUnlessEmptyResultsAreAllowed() throws Exception {
        write("reports/TEST-empty.xml", "<testsuite name='nothing' tests='0'/>");

        StepFailedException e = assertThrows(StepFailedException.class, () -> run(Map.of("testResults", "reports/*.xml")));
        assertEquals("None of the test reports contained any result (1 report file matched 'reports/*.xml')", e.getMessage());

        Object summary = run(Map.of("testResults", "reports/*.xml", "allowEmptyResults", true));
        assertEquals(0, ((Map<?, ?>) summary).get("totalCount"));
    }

    @Test
    void failedTestsMarkTheBuildAndTheStageUnstable() throws Exception {
        write("TEST-a.xml", TWO_PASS_ONE_FAIL_ONE_SKIP);

        run(Map.of("testResults", "TEST-a.xml"));

        assertEquals(Result.UNSTABLE, context.run.result);
        assertEquals(Result.UNSTABLE, context.run.stageResult);
        assertTrue(context.lines.contains("Marking the build UNSTABLE: 1 test failed"), context.lines::toString);
    }

    @Test
    void passingTestsLeaveTheResultAlone() throws Exception {
        write("TEST-b.xml", ONE_PASS);

        run(Map.of("testResults", "TEST-b.xml"));

        assertEquals(Result.SUCCESS, context.run.result);
        assertNull(context.run.stageResult);
    }

    @Test
    void skipMarkingBuildUnstableRecordsFailuresButKeepsTheResult() throws Exception {
        write("TEST-a.xml", TWO_PASS_ONE_FAIL_ONE_SKIP);

        Object summary = run(Map.of("testResults", "TEST-a.xml", "skipMarkingBuildUnstable", true));

        assertEquals(1, ((Map<?, ?>) summary).get("failCount"));
        assertEquals(1, store.summary().failed());
        assertEquals(Result.SUCCESS, context.run.result);
        assertNull(context.run.stageResult);
    }

    @Test
    void anInvalidReportFailsNamingTheFileAndRecordsNothing() throws IOException {
        write("reports/TEST-good.xml", TWO_PASS_ONE_FAIL_ONE_SKIP);
        write("reports/TEST-log.xml", "Tests run: 4, Failures: 1\n");

        StepFailedException e = assertThrows(StepFailedException.class, () -> run(Map.of("testResults", "reports/*.xml")));

        assertEquals("junit: cannot record test report reports/TEST-log.xml (matched by 'reports/*.xml'):"
                + " reports/TEST-log.xml:1:1: not well-formed XML: Content is not allowed in prolog.", e.getMessage());
        assertEquals(new TestResults.Summary(0, 0, 0), store.summary(), "nothing is recorded when a report is bad");
        assertEquals(Result.SUCCESS, context.run.result);
    }

    @Test
    void aRunWithoutATestResultsServiceFailsClearly() throws IOException {
        write("TEST-b.xml", ONE_PASS);
        context = new Context(new DirectoryWorkspace(dir), null, null);

        StepFailedException e = assertThrows(StepFailedException.class, () -> run(Map.of("testResults", "TEST-b.xml")));

        assertTrue(e.getMessage().contains("no TestResults service"), e.getMessage());
    }

    @Test
    void keepLongStdioKeepsTheOutputOfPassingTests() throws Exception {
        String output = "x".repeat(5_000);
        write("TEST-out.xml", "<testsuite name='s'><testcase classname='c' name='t'><system-out>" + output
                + "</system-out></testcase></testsuite>");

        run(Map.of("testResults", "TEST-out.xml", "keepLongStdio", true));
        run(Map.of("testResults", "TEST-out.xml"));

        List<InMemoryTestResults.Entry> cases = store.cases();
        assertEquals(Status.PASSED, cases.get(0).testCase().status());
        assertTrue(cases.get(0).testCase().details().endsWith(output));
        assertFalse(cases.get(1).testCase().details().contains(output));
    }

    @Test
    void ignoredJenkinsParametersAreAccepted() throws Exception {
        write("TEST-b.xml", ONE_PASS);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("testResults", "TEST-b.xml");
        args.put("healthScaleFactor", 1.5);
        args.put("testDataPublishers", List.of());
        args.put("skipPublishingChecks", true);

        Object summary = run(args);

        assertEquals(1, ((Map<?, ?>) summary).get("passCount"));
    }

    /** Test-only {@link StepArguments}: explicit values over the descriptor's defaults; no conversion. */
    private record Arguments(StepDescriptor descriptor, Map<String, Object> given) implements StepArguments {
        @Override
        public boolean isSet(String name) {
            declared(name);
            return given.containsKey(name);
        }

        @Override
        public Object get(String name) {
            return given.containsKey(name) ? given.get(name) : declared(name).defaultValue();
        }

        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> all = new LinkedHashMap<>();
            descriptor.parameters().keySet().forEach(n -> all.put(n, get(n)));
            return all;
        }

        private ParameterSpec declared(String name) {
            ParameterSpec spec = descriptor.parameters().get(name);
            if (spec == null) {
                throw new IllegalArgumentException("step junit has no parameter " + name);
            }
            return spec;
        }
    }

    /** Test-only {@link RunControl} recording the results set on it. */
    private static final class Run implements RunControl {
        private final String stage;
        volatile Result result = Result.SUCCESS;
        volatile Result stageResult;

        Run(String stage) {
            this.stage = stage;
        }

        @Override public String jobName() { return "junit-test"; }
        @Override public int number() { return 1; }
        @Override public Result result() { return result; }
        @Override public synchronized void setResult(Result r) { result = result.combine(r); }
        @Override public synchronized void setStageResult(Result r) { stageResult = stageResult == null ? r : stageResult.combine(r); }
        @Override public String currentStage() { return stage; }
        @Override public Map<String, Object> parameters() { return Map.of(); }
    }

    /**
     * Test-only {@link StepContext} around a real directory: console lines are collected, the only
     * service is the given {@link TestResults}. What {@code junit} never calls throws
     * {@link UnsupportedOperationException}.
     */
    private static final class Context implements StepContext {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final Run run;
        private final Workspace workspace;
        private final TestResults results;

        Context(Workspace workspace, String stage, TestResults results) {
            this.workspace = workspace;
            this.run = new Run(stage);
            this.results = results;
        }

        @Override public String id() { return "stage[Test]/1"; }
        @Override public Console console() {
            return new Console() {
                @Override public void println(String line) { lines.add(line); }
                @Override public OutputStream stream() { throw new UnsupportedOperationException("test-only console"); }
            };
        }
        @Override public Map<String, String> environment() { return Map.of(); }
        @Override public boolean hasWorkspace() { return true; }
        @Override public Workspace workspace() { return workspace; }
        @Override public Body body() { return null; }
        @Override public RunControl run() { return run; }
        @Override public NodeLease allocateNode(String label, String custom) { throw new UnsupportedOperationException("test-only context"); }
        @Override public Map<String, Object> parallel(Map<String, Body> branches, boolean failFast) { throw new UnsupportedOperationException("test-only context"); }
        @Override public Cancellation newCancellation() { throw new UnsupportedOperationException("test-only context"); }
        @Override public void checkInterrupted() { }
        @Override public <T> Optional<T> service(Class<T> type) {
            return type == TestResults.class && results != null ? Optional.of(type.cast(results)) : Optional.empty();
        }
    }

    /**
     * Test-only {@link Workspace} over a local directory with java.nio: path, exists, isDirectory,
     * read and list (Ant patterns, includes only; default excludes are not applied). Every other
     * method throws {@link UnsupportedOperationException}.
     */
    private static final class DirectoryWorkspace implements Workspace {
        private final Path root;

        DirectoryWorkspace(Path root) {
            this.root = root;
        }

        private Path resolve(String relative) throws IOException {
            Path p = root.resolve(relative).normalize();
            if (!p.startsWith(root)) {
                throw new IOException(relative + " is outside the workspace " + root);
            }
            return p;
        }

        @Override public String path() { return root.toString(); }
        @Override public String nodeName() { return "built-in"; }
        @Override public boolean isUnix() { return true; }
        @Override public boolean exists(String relativePath) throws IOException { return Files.exists(resolve(relativePath)); }
        @Override public boolean isDirectory(String relativePath) throws IOException { return Files.isDirectory(resolve(relativePath)); }
        @Override public InputStream read(String relativePath) throws IOException { return Files.newInputStream(resolve(relativePath)); }

        @Override
        public List<String> list(FileSelection selection) throws IOException {
            List<Pattern> includes = new ArrayList<>();
            for (String p : selection.includes() == null ? new String[] {"**"} : selection.includes().split(",")) {
                if (!p.isBlank()) {
                    includes.add(antToRegex(p.strip()));
                }
            }
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(Files::isRegularFile)
                        .map(f -> root.relativize(f).toString().replace('\\', '/'))
                        .filter(rel -> includes.stream().anyMatch(p -> p.matcher(rel).matches()))
                        .sorted()
                        .toList();
            }
        }

        /** Ant: {@code **}/ is any number of directories, {@code *} and {@code ?} stay within one. */
        private static Pattern antToRegex(String pattern) {
            String p = pattern.endsWith("/") ? pattern + "**" : pattern;
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (p.startsWith("**/", i)) {
                    regex.append("(?:.*/)?");
                    i += 2;
                } else if (p.startsWith("**", i)) {
                    regex.append(".*");
                    i += 1;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else if (c == '?') {
                    regex.append("[^/]");
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString());
        }

        @Override public Workspace child(String relativePath) { throw new UnsupportedOperationException("test-only workspace"); }
        @Override public void write(String relativePath, InputStream content) { throw new UnsupportedOperationException("test-only workspace"); }
        @Override public void mkdirs(String relativePath) { throw new UnsupportedOperationException("test-only workspace"); }
        @Override public void delete(String relativePath) { throw new UnsupportedOperationException("test-only workspace"); }
        @Override public int archive(FileSelection selection, OutputStream tar) { throw new UnsupportedOperationException("test-only workspace"); }
        @Override public int extract(InputStream tar) { throw new UnsupportedOperationException("test-only workspace"); }
        @Override public long freeSpace() { throw new UnsupportedOperationException("test-only workspace"); }
        @Override public RunningProcess launch(ProcessSpec spec) { throw new UnsupportedOperationException("test-only workspace"); }
    }
}
