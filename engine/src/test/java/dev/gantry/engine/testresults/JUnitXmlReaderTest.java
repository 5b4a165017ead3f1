package dev.gantry.engine.testresults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.build.TestCaseResult;
import dev.gantry.api.build.TestCaseResult.Status;
import dev.gantry.engine.testresults.JUnitXmlReader.StdioRetention;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JUnitXmlReaderTest {

    private static List<TestCaseResult> readResource(String name) throws IOException {
        try (InputStream in = JUnitXmlReaderTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new JUnitXmlReader().read(in, "reports/" + name);
        }
    }

    private static List<TestCaseResult> readString(String xml) throws IOException {
        return readString(new JUnitXmlReader(), xml);
    }

    private static List<TestCaseResult> readString(JUnitXmlReader reader, String xml) throws IOException {
        return reader.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "report.xml");
    }

    private static TestCaseResult named(List<TestCaseResult> cases, String name) {
        return cases.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no test case named " + name + " in " + cases));
    }

    @Test
    void surefireReportYieldsPassedFailedErroredAndSkippedCasesWithOutput() throws IOException {
        List<TestCaseResult> cases = readResource("surefire-TEST-com.example.CalculatorTest.xml");

        assertEquals(List.of("addsTwoNumbers", "dividesByZero", "parsesNull", "multipliesLargeNumbers"),
                cases.stream().map(TestCaseResult::name).toList());
        TestCaseResult passed = cases.get(0);
        assertEquals(new TestCaseResult("com.example.CalculatorTest", "com.example.CalculatorTest", "addsTwoNumbers",
                Status.PASSED, 0.012, null, "----- Standard Output -----\ncomputing 2 + 2\nresult=4"), passed);

        TestCaseResult failure = cases.get(1);
        assertEquals(Status.FAILED, failure.status());
        assertEquals("expected: <Infinity> but was: <NaN>", failure.message());
        assertTrue(failure.details().startsWith("org.opentest4j.AssertionFailedError: expected: <Infinity> but was: <NaN>\n"
                + "\tat org.junit.jupiter.api.AssertionFailureBuilder.build"), failure.details());
        assertTrue(failure.details().contains("----- Standard Output -----\ndividing 1 by 0"), failure.details());
        assertTrue(failure.details().endsWith("----- Standard Error -----\nWARN division by zero"), failure.details());

        TestCaseResult error = cases.get(2);
        assertEquals(Status.FAILED, error.status());
        assertEquals("java.lang.NullPointerException", error.message(), "without a message attribute, the first line");
        assertEquals(0.0, error.durationSeconds());

        TestCaseResult skipped = cases.get(3);
        assertEquals(Status.SKIPPED, skipped.status());
        assertEquals("not implemented yet", skipped.message());
        assertNull(skipped.details());
    }

    @Test
    void nestedSuitesNameCasesAfterTheInnermostNamedSuite() throws IOException {
        List<TestCaseResult> cases = readResource("nested-testsuites.xml");

        assertEquals(4, cases.size());
        assertEquals("backend.api", named(cases, "lists users").suite());
        TestCaseResult failed = named(cases, "creates a user");
        assertEquals(Status.FAILED, failed.status());
        assertEquals("status 500", failed.message());
        assertEquals("HTTP 500 Internal Server Error", failed.details());
        assertEquals(1.0, failed.durationSeconds());
        TestCaseResult unnamedSuite = named(cases, "no class name");
        assertEquals("backend", unnamedSuite.suite(), "a suite without a name inherits the enclosing one's");
        assertEquals("backend", unnamedSuite.className(), "without classname, the suite stands in");
        assertEquals("frontend", named(cases, "renders").suite());
    }

    @Test
    void pytestReportCountsErrorsAsFailuresAndKeepsSkipMessages() throws IOException {
        List<TestCaseResult> cases = readResource("pytest.xml");

        assertEquals(5, cases.size());
        assertEquals(Status.PASSED, named(cases, "test_add").status());
        TestCaseResult failed = named(cases, "test_divide");
        assertEquals("assert 0.5 == 2", failed.message());
        assertTrue(failed.details().contains(">       assert divide(1, 2) == 2"), failed.details());
        TestCaseResult setupError = named(cases, "test_fixture");
        assertEquals(Status.FAILED, setupError.status());
        assertEquals("failed on setup with \"FileNotFoundError: config.ini\"", setupError.message());
        TestCaseResult skipped = named(cases, "test_later");
        assertEquals(Status.SKIPPED, skipped.status());
        assertEquals("not ready", skipped.message());
        assertEquals("/ci/tests/test_calc.py:20: not ready", skipped.details());
        assertEquals("pytest", skipped.suite());
        assertEquals("tests.test_calc", skipped.className());
        assertEquals(Status.PASSED, named(cases, "test_params[1-2]").status());
    }

    @Test
    void jestReportWithoutMessageAttributeTakesTheFirstLineOfTheFailure() throws IOException {
        List<TestCaseResult> cases = readResource("jest-junit.xml");

        assertEquals(List.of(Status.PASSED, Status.FAILED, Status.SKIPPED), cases.stream().map(TestCaseResult::status).toList());
        TestCaseResult failed = cases.get(1);
        assertEquals("Calculator", failed.suite());
        assertEquals("Calculator subtracts numbers", failed.className());
        assertEquals("Error: expect(received).toBe(expected) // Object.is equality", failed.message());
        assertTrue(failed.details().contains("Received: -1"), failed.details());
        assertNull(cases.get(0).details(), "whitespace between elements is not output");
        assertNull(cases.get(2).message());
    }

    @Test
    void goJunitReportReadsFailuresAndSkipsWithTheirOutput() throws IOException {
        List<TestCaseResult> cases = readResource("go-junit-report.xml");

        assertEquals(3, cases.size());
        TestCaseResult failed = named(cases, "TestSub");
        assertEquals(Status.FAILED, failed.status());
        assertEquals("Failed", failed.message());
        assertEquals("calc_test.go:14: Sub(3, 1) = 1; want 2", failed.details());
        assertEquals("example.com/calc", failed.suite());
        assertEquals(0.001, failed.durationSeconds());
        assertEquals(Status.SKIPPED, named(cases, "TestMul").status());
    }

    @Test
    void aTestThatPassedOnRerunIsPassedAndOneThatFailedEveryRerunIsFailed() throws IOException {
        List<TestCaseResult> cases = readResource("surefire-flaky.xml");

        TestCaseResult flaky = named(cases, "connectsEventually");
        assertEquals(Status.PASSED, flaky.status());
        assertNull(flaky.message());
        assertTrue(flaky.details().startsWith("Passed after 1 failed attempt; first failure: Connection refused\n"
                + "java.net.ConnectException: Connection refused"), flaky.details());
        assertFalse(flaky.details().contains("attempt 1"), "output of a failed attempt is not the test's output");

        TestCaseResult broken = named(cases, "alwaysTimesOut");
        assertEquals(Status.FAILED, broken.status());
        assertEquals("timed out after 1 second", broken.message());
        assertTrue(broken.details().endsWith("Failed on 1 rerun as well"), broken.details());
    }

    @Test
    void hugeStackTraceIsTruncatedKeepingItsStartAndEnd() throws IOException {
        int lines = 200_000;
        StringBuilder trace = new StringBuilder("java.lang.StackOverflowError: deep\n");
        for (int i = 0; i < lines; i++) {
            trace.append("\tat com.example.Recursion.descend(Recursion.java:").append(i).append(")\n");
        }
        trace.append("END OF TRACE");
        String xml = "<testsuite name='s'><testcase classname='c' name='deep'><failure message='deep'>"
                + trace + "</failure><system-out>" + "o".repeat(3_000_000) + "</system-out></testcase></testsuite>";

        TestCaseResult c = readString(xml).get(0);

        assertTrue(trace.length() > 10 * JUnitXmlReader.DETAILS_LIMIT, "the trace must be much longer than the cap");
        String details = c.details();
        assertTrue(details.startsWith("java.lang.StackOverflowError: deep\n\tat com.example.Recursion.descend(Recursion.java:0)"));
        assertTrue(details.contains("END OF TRACE"), "the end of the trace is kept too");
        assertTrue(details.contains("...[truncated "), details.substring(0, 200));
        int failingStdioKept = 100_000;
        assertTrue(details.length() < JUnitXmlReader.DETAILS_LIMIT + failingStdioKept + 500,
                "details are capped, not " + details.length() + " characters");
        assertTrue(details.contains("----- Standard Output -----\n" + "o".repeat(50_000) + "\n...[truncated 2900000 characters]...\n"),
                "a failing test keeps 50,000 characters of output at each end");
    }

    @Test
    void passingTestOutputIsTrimmedUnlessKeptLong() throws IOException {
        String out = "a".repeat(600) + "b".repeat(10_000) + "c".repeat(600);
        String xml = "<testsuite><testcase classname='c' name='chatty'><system-out>" + out + "</system-out></testcase></testsuite>";

        String trimmed = readString(xml).get(0).details();
        assertEquals("----- Standard Output -----\n" + "a".repeat(500) + "\n...[truncated 10200 characters]...\n" + "c".repeat(500), trimmed);

        String kept = readString(new JUnitXmlReader(StdioRetention.ALL), xml).get(0).details();
        assertEquals("----- Standard Output -----\n" + out, kept);

        String failedOnly = readString(new JUnitXmlReader(StdioRetention.FAILED), xml).get(0).details();
        assertEquals(trimmed, failedOnly, "FAILED keeps long output of failing tests only");
    }

    @Test
    void timeAttributesWithGroupingCommasOrMissingOrGarbageAreRead() throws IOException {
        List<TestCaseResult> cases = readString("""
                <testsuite name="s">
                  <testcase classname="c" name="grouped" time="1,234.5"/>
                  <testcase classname="c" name="missing"/>
                  <testcase classname="c" name="garbage" time="n/a"/>
                  <testcase classname="c" name="negative" time="-3"/>
                  <testcase classname="c" name="unit" time="2.5s"/>
                </testsuite>""");

        assertEquals(List.of(1234.5, 0.0, 0.0, 0.0, 2.5), cases.stream().map(TestCaseResult::durationSeconds).toList());
    }

    @Test
    void emptyTestsuiteHasNoCases() throws IOException {
        assertEquals(List.of(), readString("<?xml version='1.0'?><testsuite name='none' tests='0'/>"));
        assertEquals(List.of(), readString("<testsuites/>"));
    }

    @Test
    void suiteNameFallsBackToTheFileNameWhenNoSuiteHasOne() throws IOException {
        List<TestCaseResult> cases = new JUnitXmlReader().read(new ByteArrayInputStream(
                "<testsuite><testcase name='t'/></testsuite>".getBytes(StandardCharsets.UTF_8)), "build/TEST-unit.xml");

        assertEquals("TEST-unit", cases.get(0).suite());
        assertEquals("TEST-unit", cases.get(0).className());
    }

    @Test
    void externalEntityIsNeverExpanded(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        String xml = "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE testsuite [ <!ENTITY xxe SYSTEM \"" + secret.toUri() + "\"> ]>\n"
                + "<testsuite name=\"s\"><testcase classname=\"c\" name=\"t\"><failure message=\"m\">&xxe;</failure></testcase></testsuite>";

        IOException e = assertThrows(IOException.class, () -> readString(xml));

        assertEquals("report.xml:3:75: the report uses the entity &xxe; which is not expanded: DTDs and entity"
                + " declarations are disabled in test reports for safety; write the text itself, or a character"
                + " reference such as &#233;", e.getMessage());
        assertFalse(e.getMessage().contains("TOP-SECRET"));
    }

    @Test
    void externalDtdIsNotFetched(@TempDir Path dir) throws IOException {
        // Were this DTD loaded, its malformed content would fail the parse.
        Path dtd = Files.writeString(dir.resolve("evil.dtd"), "<!ENTITY % broken \"");
        String xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE testsuite SYSTEM \"" + dtd.toUri() + "\">\n"
                + "<testsuite name=\"s\"><testcase classname=\"c\" name=\"t\"/></testsuite>";

        List<TestCaseResult> cases = readString(xml);

        assertEquals(1, cases.size());
        assertEquals(Status.PASSED, cases.get(0).status());
    }

    @Test
    void billionLaughsIsNotExpanded() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            xml.append(" <!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">\n");
        }
        xml.append("]>\n<testsuite name=\"s\"><testcase classname=\"c\" name=\"t\"><failure>&lol9;</failure></testcase></testsuite>");

        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> readString(xml.toString()));

        assertTrue(e.getMessage().startsWith("report.xml:14:63:"), e.getMessage());
        assertTrue(e.getMessage().contains("uses the entity &lol9; which is not expanded"), e.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "expansion would take far longer");
    }

    @Test
    void nonXmlFileIsRejectedWithFileLineAndColumn() {
        IOException e = assertThrows(IOException.class, () -> readResource("garbage.txt"));

        assertEquals("reports/garbage.txt:1:1: not well-formed XML: Content is not allowed in prolog.", e.getMessage());
    }

    @Test
    void htmlFileIsRejectedAsNotAJunitReport() {
        IOException e = assertThrows(IOException.class, () -> readResource("not-a-report.html"));

        assertEquals("reports/not-a-report.html: not a JUnit XML report: the root element is <html>,"
                + " expected <testsuite> or <testsuites>", e.getMessage());
    }

    @Test
    void emptyFileIsRejectedAsEmpty() {
        IOException e = assertThrows(IOException.class, () -> readResource("empty.xml"));

        assertEquals("reports/empty.xml: the file is empty; expected a JUnit XML report (<testsuite> or <testsuites>)",
                e.getMessage());
    }

    @Test
    void truncatedReportIsRejectedWithThePositionWhereItEnds() {
        IOException e = assertThrows(IOException.class,
                () -> readString("<testsuite name='s'>\n<testcase classname='c' name='t'>\n<failure>boom"));

        assertTrue(e.getMessage().startsWith("report.xml:3:"), e.getMessage());
        assertTrue(e.getMessage().contains("not well-formed XML: "), e.getMessage());
    }

    @Test
    void encodingFromTheXmlDeclarationIsHonoured() throws IOException {
        byte[] latin1 = "<?xml version='1.0' encoding='ISO-8859-1'?><testsuite><testcase classname='c' name='caf\u00e9'/></testsuite>"
                .getBytes(StandardCharsets.ISO_8859_1);

        List<TestCaseResult> cases = new JUnitXmlReader().read(new ByteArrayInputStream(latin1), "latin1.xml");

        assertEquals("caf\u00e9", cases.get(0).name());
    }

    @Test
    void readerIsUsableFromManyThreadsAtOnce() throws InterruptedException {
        JUnitXmlReader reader = new JUnitXmlReader();
        String xml = "<testsuite name='s'><testcase classname='c' name='a'/><testcase classname='c' name='b'><skipped/></testcase></testsuite>";
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.ConcurrentLinkedQueue<Object> outcomes = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int j = 0; j < 50; j++) {
                        outcomes.add(readString(reader, xml).size());
                    }
                } catch (IOException e) {
                    outcomes.add(new UncheckedIOException(e));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(400, outcomes.size());
        assertTrue(outcomes.stream().allMatch(o -> o.equals(2)), outcomes::toString);
    }
}
