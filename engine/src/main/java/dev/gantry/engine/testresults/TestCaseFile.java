package dev.gantry.engine.testresults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.build.TestCaseResult;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A completed build's test cases in {@code tests.jsonl} beside its artifacts (one JSON object a
 * line), so that the web UI can show failures with their stack traces after the build; the
 * database keeps only the totals. Messages and details are cut at 64 KB each, so that a test
 * that prints megabytes does not make the file unreadable.
 */
public final class TestCaseFile {
    static final String NAME = "tests.jsonl";
    private static final int MAX_TEXT = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestCaseFile() {
    }

    /**
     * Writes {@code cases} into {@code buildDir}; nothing when there are none. A failure to
     * write is logged, never thrown: the build's result does not depend on it.
     */
    public static void write(Path buildDir, List<InMemoryTestResults.Entry> cases) {
        if (buildDir == null || cases.isEmpty()) {
            return;
        }
        Path file = buildDir.resolve(NAME);
        try {
            Files.createDirectories(buildDir);
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (InMemoryTestResults.Entry e : cases) {
                    TestCaseResult c = e.testCase();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("stage", e.stage());
                    m.put("suite", c.suite());
                    m.put("className", c.className());
                    m.put("name", c.name());
                    m.put("status", c.status().name());
                    m.put("durationSeconds", c.durationSeconds());
                    m.put("message", bounded(c.message()));
                    m.put("details", bounded(c.details()));
                    w.write(JSON.writeValueAsString(m));
                    w.write('\n');
                }
            }
        } catch (IOException | RuntimeException e) {
            System.getLogger(TestCaseFile.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot write the test cases to " + file + ": " + e.getMessage());
        }
    }

    /**
     * The cases written into {@code buildDir}, in the order recorded; empty when there is no
     * file. Unreadable lines are skipped.
     */
    public static List<InMemoryTestResults.Entry> read(Path buildDir) {
        List<InMemoryTestResults.Entry> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(buildDir.resolve(NAME), StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                InMemoryTestResults.Entry e = entry(line);
                if (e != null) {
                    out.add(e);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            System.getLogger(TestCaseFile.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot read the test cases in " + buildDir + ": " + e.getMessage());
        }
        return out;
    }

    /**
     * The first case of class {@code className} named {@code name} written into {@code buildDir},
     * if any. Only lines that hold the test's names as written are parsed, so that looking up one
     * test in the files of many builds costs about a read of each file.
     */
    public static java.util.Optional<InMemoryTestResults.Entry> find(Path buildDir, String className, String name) {
        String needle;
        try {
            needle = "\"className\":" + JSON.writeValueAsString(className) + ",\"name\":" + JSON.writeValueAsString(name) + ",";
        } catch (IOException e) {
            throw new IllegalStateException("a string always has a JSON form: " + e, e);
        }
        try (BufferedReader r = Files.newBufferedReader(buildDir.resolve(NAME), StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.contains(needle)) {
                    InMemoryTestResults.Entry e = entry(line);
                    if (e != null && java.util.Objects.equals(e.testCase().className(), className) && name.equals(e.testCase().name())) {
                        return java.util.Optional.of(e);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            System.getLogger(TestCaseFile.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot read the test cases in " + buildDir + ": " + e.getMessage());
        }
        return java.util.Optional.empty();
    }

    /** One line as a case; null for a damaged line (the others still count). */
    private static InMemoryTestResults.Entry entry(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            TestCaseResult c = new TestCaseResult(text(n, "suite"), text(n, "className"), text(n, "name"),
                    TestCaseResult.Status.valueOf(n.path("status").asText("PASSED")), n.path("durationSeconds").asDouble(),
                    text(n, "message"), text(n, "details"));
            return new InMemoryTestResults.Entry(text(n, "stage"), c);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String bounded(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "\n[... " + (s.length() - MAX_TEXT) + " more characters]";
    }
}
