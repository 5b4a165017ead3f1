package dev.gantry.engine.testresults;

import dev.gantry.api.build.TestCaseResult;
import dev.gantry.api.build.TestCaseResult.Status;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads one JUnit-style XML test report, as Surefire, Gradle, pytest, go-junit-report, jest-junit
 * and most other tools write it, into {@link TestCaseResult}s. The report is streamed (StAX), and
 * the text kept per test case is capped, so a report of any size reads in bounded memory per case.
 * Reports are produced by builds and so are untrusted: DTDs are never processed and entities
 * never expanded. Immutable and thread-safe.
 */
public final class JUnitXmlReader {

    /** How much standard output and error of each test case to keep, as Jenkins' {@code stdioRetention}. */
    public enum StdioRetention {
        /** Trim: 1,000 characters for a passing test, 100,000 for a failing one (Jenkins' default). */
        NONE,
        /** Keep up to {@link #LONG_STDIO_LIMIT} for failing tests; trim passing ones as {@link #NONE}. */
        FAILED,
        /** Keep up to {@link #LONG_STDIO_LIMIT} for every test. */
        ALL
    }

    /** The most characters kept of a failure's or skip's message and of its details (stack trace). */
    public static final int DETAILS_LIMIT = 64 * 1024;

    /** The most characters kept of one output stream of one test case when output is kept long. */
    public static final int LONG_STDIO_LIMIT = 1024 * 1024;

    // Jenkins' CaseResult trims to 500 (passing) or 50,000 (failing) characters at each end.
    private static final int PASSING_STDIO_HALF = 500;
    private static final int FAILING_STDIO_HALF = 50_000;

    private final StdioRetention stdioRetention;

    /** A reader that trims test output as Jenkins does by default ({@link StdioRetention#NONE}). */
    public JUnitXmlReader() {
        this(StdioRetention.NONE);
    }

    /**
     * A reader keeping test output as {@code stdioRetention} says.
     *
     * @throws NullPointerException when {@code stdioRetention} is null
     */
    public JUnitXmlReader(StdioRetention stdioRetention) {
        this.stdioRetention = Objects.requireNonNull(stdioRetention, "stdioRetention");
    }

    /**
     * Reads every test case of one report, in document order. A {@code <testsuite>} without test
     * cases yields an empty list. The stream is read to the end of the report but not closed.
     *
     * <p>A test case with a {@code <failure>} or {@code <error>} is FAILED; one that only has
     * Surefire's {@code <flakyFailure>}/{@code <flakyError>} passed on a rerun and is PASSED; one
     * with {@code <skipped>} is SKIPPED. A missing or unreadable {@code time} counts as 0.
     *
     * @param in the report's bytes; the XML declaration (or a byte order mark) gives the encoding
     * @param fileName the report's name, used in error messages only
     * @throws IOException naming {@code fileName} when the file is empty, is not well-formed XML
     *     (with line and column), is not a JUnit report (its root element is neither
     *     {@code <testsuite>} nor {@code <testsuites>}), references an entity, or cannot be read
     */
    public List<TestCaseResult> read(InputStream in, String fileName) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(fileName, "fileName");
        BufferedInputStream buffered = new BufferedInputStream(in);
        buffered.mark(1);
        if (buffered.read() < 0) {
            throw new IOException(fileName + ": the file is empty; expected a JUnit XML report (<testsuite> or <testsuites>)");
        }
        buffered.reset();
        XMLStreamReader reader = null;
        try {
            reader = newFactory().createXMLStreamReader(buffered);
            return new Parse(fileName, reader).run();
        } catch (XMLStreamException e) {
            throw new IOException(fileName + location(e.getLocation()) + ": not well-formed XML: " + parserMessage(e), e);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // Closing only releases the parser's buffers; the outcome is already decided.
                }
            }
        }
    }

    /** A factory per read: the StAX specification does not promise that factories are thread-safe. */
    private static XMLInputFactory newFactory() {
        // The JDK's own implementation, whatever StAX provider the class path brings.
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // Entity references arrive as events, so a report using one is rejected by name.
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        // Text arrives in chunks, so a huge stack trace is never held whole.
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resources are not loaded from test reports: " + systemId);
        });
        return factory;
    }

    private static String location(Location location) {
        if (location == null || location.getLineNumber() < 0) {
            return "";
        }
        return ":" + location.getLineNumber() + (location.getColumnNumber() < 0 ? "" : ":" + location.getColumnNumber());
    }

    /** The parser's own words without the "ParseError at [row,col]" prefix, which the caller formats. */
    private static String parserMessage(XMLStreamException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int at = message.indexOf("Message: ");
        return (at >= 0 ? message.substring(at + "Message: ".length()) : message).strip();
    }

    /**
     * Parses a {@code time} attribute. Surefire has written grouping commas ({@code 1,234.5});
     * like Jenkins, commas are dropped. Missing, negative or unreadable values are 0.
     */
    static double parseTime(String value) {
        if (value == null) {
            return 0;
        }
        String s = value.replace(",", "").strip();
        if (s.endsWith("s")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) && d > 0 ? d : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** One open element: its name and where its text goes (null: nowhere). */
    private record Frame(String name, BoundedText target, boolean opensCase) {
    }

    /** The state of reading one report. */
    private final class Parse {
        private final String file;
        private final XMLStreamReader r;
        private final List<TestCaseResult> results = new ArrayList<>();
        private final List<Frame> open = new ArrayList<>();
        /** Effective suite name per open {@code <testsuite>}: its own name, or the enclosing one's. */
        private final List<String> suites = new ArrayList<>();
        private String testsuitesName;
        private CaseState current;

        Parse(String file, XMLStreamReader r) {
            this.file = file;
            this.r = r;
        }

        List<TestCaseResult> run() throws XMLStreamException, IOException {
            while (r.hasNext()) {
                switch (r.next()) {
                    case XMLStreamConstants.START_ELEMENT -> start();
                    case XMLStreamConstants.END_ELEMENT -> end();
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> text();
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw new IOException(file + entityLocation()
                            + ": the report uses the entity &" + r.getLocalName() + "; which is not expanded:"
                            + " DTDs and entity declarations are disabled in test reports for safety;"
                            + " write the text itself, or a character reference such as &#233;");
                    default -> {
                        // Comments, processing instructions and the DOCTYPE (never processed) carry no results.
                    }
                }
            }
            return results;
        }

        /** Where the reference starts: the parser reports the position just after it, on the same line. */
        private String entityLocation() {
            Location end = r.getLocation();
            if (end == null || end.getLineNumber() < 0 || end.getColumnNumber() < 0) {
                return location(end);
            }
            int column = Math.max(1, end.getColumnNumber() - r.getLocalName().length() - 2);
            return ":" + end.getLineNumber() + ":" + column;
        }

        private void start() throws IOException {
            String name = r.getLocalName();
            Frame parent = open.isEmpty() ? null : open.get(open.size() - 1);
            if (parent == null && !name.equals("testsuite") && !name.equals("testsuites")) {
                throw new IOException(file + ": not a JUnit XML report: the root element is <" + name
                        + ">, expected <testsuite> or <testsuites>");
            }
            BoundedText target = null;
            boolean opensCase = false;
            boolean directlyInCase = current != null && parent != null && parent.opensCase();
            switch (name) {
                case "testsuites" -> {
                    if (testsuitesName == null) {
                        testsuitesName = blankToNull(attribute("name"));
                    }
                }
                case "testsuite" -> {
                    String own = blankToNull(attribute("name"));
                    suites.add(own != null ? own : suites.isEmpty() ? null : suites.get(suites.size() - 1));
                }
                case "testcase" -> {
                    if (current == null) {
                        current = new CaseState(suiteName(), attribute("classname"), attribute("name"),
                                parseTime(attribute("time")));
                        opensCase = true;
                    }
                }
                case "failure", "error" -> {
                    if (directlyInCase) {
                        target = current.failed(attribute("message"), attribute("type"));
                    }
                }
                case "skipped" -> {
                    if (directlyInCase) {
                        target = current.skipped(attribute("message"));
                    }
                }
                case "flakyFailure", "flakyError" -> {
                    if (directlyInCase) {
                        target = current.flaky(attribute("message"), attribute("type"));
                    }
                }
                case "rerunFailure", "rerunError" -> {
                    if (directlyInCase) {
                        target = current.rerun(attribute("message"), attribute("type"));
                    }
                }
                // Surefire nests the stack trace of a flaky or rerun failure in <stackTrace>.
                case "stackTrace" -> target = parent == null ? null : parent.target();
                case "system-out" -> target = directlyInCase ? current.out : null;
                case "system-err" -> target = directlyInCase ? current.err : null;
                default -> {
                    // <properties>, <property> and tool-specific extras carry nothing we keep.
                }
            }
            open.add(new Frame(name, target, opensCase));
        }

        private void end() {
            Frame frame = open.remove(open.size() - 1);
            if (frame.opensCase()) {
                results.add(current.result());
                current = null;
            } else if (frame.name().equals("testsuite") && !suites.isEmpty()) {
                suites.remove(suites.size() - 1);
            }
        }

        private void text() {
            if (open.isEmpty()) {
                return;
            }
            BoundedText target = open.get(open.size() - 1).target();
            if (target != null) {
                target.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
            }
        }

        private String attribute(String name) {
            return r.getAttributeValue(null, name);
        }

        private String suiteName() {
            String innermost = suites.isEmpty() ? null : suites.get(suites.size() - 1);
            if (innermost != null) {
                return innermost;
            }
            if (testsuitesName != null) {
                return testsuitesName;
            }
            String base = file.substring(file.lastIndexOf('/') + 1);
            return base.toLowerCase(Locale.ROOT).endsWith(".xml") ? base.substring(0, base.length() - 4) : base;
        }
    }

    /** What has been read of one {@code <testcase>} so far. */
    private final class CaseState {
        private final String suite;
        private final String className;
        private final String name;
        private final double time;
        private boolean failed;
        private boolean skipped;
        private int flakyRuns;
        private int reruns;
        private String failMessage;
        private String failType;
        private String skipMessage;
        private String retryMessage;
        private String retryType;
        private final BoundedText problem = new BoundedText(DETAILS_LIMIT / 2);
        private final BoundedText retries = new BoundedText(DETAILS_LIMIT / 2);
        private final BoundedText out = new BoundedText(stdioHalf());
        private final BoundedText err = new BoundedText(stdioHalf());

        CaseState(String suite, String className, String name, double time) {
            this.suite = suite;
            this.className = className == null || className.isBlank() ? suite : className;
            this.name = name == null || name.isBlank() ? "(unnamed test)" : name;
            this.time = time;
        }

        BoundedText failed(String message, String type) {
            if (!failed) {
                failed = true;
                failMessage = blankToNull(message);
                failType = blankToNull(type);
            }
            return separated(problem);
        }

        BoundedText skipped(String message) {
            if (!skipped) {
                skipped = true;
                skipMessage = blankToNull(message);
            }
            return separated(problem);
        }

        BoundedText flaky(String message, String type) {
            flakyRuns++;
            return retry(message, type);
        }

        BoundedText rerun(String message, String type) {
            reruns++;
            return retry(message, type);
        }

        private BoundedText retry(String message, String type) {
            if (retryMessage == null && retryType == null) {
                retryMessage = blankToNull(message);
                retryType = blankToNull(type);
            }
            return separated(retries);
        }

        private BoundedText separated(BoundedText text) {
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            return text;
        }

        TestCaseResult result() {
            // A rerun failure without a first failure does not occur in Surefire's output; if a tool
            // writes one, the test never passed.
            Status status = failed || reruns > 0 ? Status.FAILED : skipped ? Status.SKIPPED : Status.PASSED;
            String message = switch (status) {
                case FAILED -> failed
                        ? firstNonNull(failMessage, firstLine(problem), failType)
                        : firstNonNull(retryMessage, firstLine(retries), retryType);
                case SKIPPED -> skipMessage;
                case PASSED -> null;
            };
            return new TestCaseResult(suite, className, name, status, time, cap(message), details(status));
        }

        private String details(Status status) {
            StringBuilder d = new StringBuilder();
            if (!problem.isBlank()) {
                d.append(problem.toString().strip());
            }
            if (status == Status.PASSED && flakyRuns > 0) {
                section(d, "Passed after " + flakyRuns + " failed attempt" + (flakyRuns == 1 ? "" : "s")
                        + "; first failure: " + Objects.requireNonNullElse(firstNonNull(retryMessage, retryType), "(no message)"));
                if (!retries.isBlank()) {
                    d.append('\n').append(retries.toString().strip());
                }
            } else if (reruns > 0) {
                section(d, "Failed on " + reruns + " rerun" + (reruns == 1 ? "" : "s") + " as well");
                if (!failed && !retries.isBlank()) {
                    d.append('\n').append(retries.toString().strip());
                }
            }
            int stdioLimit = keepsLong(status == Status.FAILED) ? LONG_STDIO_LIMIT / 2
                    : status == Status.FAILED ? FAILING_STDIO_HALF : PASSING_STDIO_HALF;
            if (!out.isBlank()) {
                section(d, "----- Standard Output -----\n" + out.toString(stdioLimit).strip());
            }
            if (!err.isBlank()) {
                section(d, "----- Standard Error -----\n" + err.toString(stdioLimit).strip());
            }
            return d.isEmpty() ? null : d.toString();
        }

        private static void section(StringBuilder d, String text) {
            if (!d.isEmpty()) {
                d.append("\n\n");
            }
            d.append(text);
        }
    }

    private int stdioHalf() {
        return stdioRetention == StdioRetention.NONE ? FAILING_STDIO_HALF : LONG_STDIO_LIMIT / 2;
    }

    private boolean keepsLong(boolean failed) {
        return stdioRetention == StdioRetention.ALL || stdioRetention == StdioRetention.FAILED && failed;
    }

    private static String cap(String message) {
        if (message == null || message.length() <= DETAILS_LIMIT) {
            return message;
        }
        BoundedText t = new BoundedText(DETAILS_LIMIT / 2);
        t.append(message);
        return t.toString();
    }

    private static String firstLine(BoundedText text) {
        if (text.isEmpty()) {
            return null;
        }
        for (String line : text.toString().split("\n", 50)) {
            if (!line.isBlank()) {
                return line.strip();
            }
        }
        return null;
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
