package dev.gantry.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.report.BuildReport;
import dev.gantry.api.report.BuildReports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reports of one build ({@link BuildReports}), kept in {@code reports.json} in the build's
 * directory and rewritten on every attach, so that a controller that crashes or restarts keeps
 * what the build attached before (a resumed build does not run its journaled steps again, so it
 * could not attach them anew). Without a directory (a local run) they are kept in memory only.
 * Values are copied into plain JSON types when attached: the caller's later changes do not reach
 * the stored report. Thread-safe.
 */
public final class StoredBuildReports implements BuildReports {
    /** The file in the build's directory. */
    public static final String FILE = "reports.json";
    /** The most one report may take as JSON: reports are read whole by the API and the build page. */
    static final int MAX_REPORT_BYTES = 1024 * 1024;
    private static final int MAX_NAME = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<BuildReport> reports = new ArrayList<>();

    private StoredBuildReports(Path file, List<BuildReport> existing) {
        this.file = file;
        this.reports.addAll(existing);
    }

    /**
     * The reports of the build in {@code buildDir}, starting from those it stored already (a
     * resumed build); {@code buildDir} null keeps them in memory only.
     *
     * @throws UncheckedIOException when an existing file cannot be read
     */
    public static StoredBuildReports open(Path buildDir) {
        if (buildDir == null) {
            return new StoredBuildReports(null, List.of());
        }
        return new StoredBuildReports(buildDir.resolve(FILE), read(buildDir));
    }

    /**
     * The reports stored in {@code buildDir}, in the order attached; empty when there are none
     * (or {@code buildDir} is null).
     *
     * @throws UncheckedIOException naming the file when it exists but cannot be read or parsed
     */
    public static List<BuildReport> read(Path buildDir) {
        if (buildDir == null) {
            return List.of();
        }
        Path f = buildDir.resolve(FILE);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(f));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("the reports file " + f + " cannot be read: " + e.getMessage(), e);
        }
        List<BuildReport> out = new ArrayList<>();
        for (JsonNode r : root.path("reports")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = JSON.convertValue(r.path("summary"), LinkedHashMap.class);
            Object data = JSON.convertValue(r.path("data"), Object.class);
            out.add(new BuildReport(r.path("kind").asText(), r.path("name").asText(), summary, data));
        }
        return out;
    }

    /**
     * {@inheritDoc} The report is written to the build's file before this returns.
     *
     * @throws IllegalArgumentException naming the report and the path inside it ({@code data.files[2]})
     *     of a value that is not JSON-friendly, for a kind or name that is blank, contains a slash
     *     or a control character or is longer than 200 characters, or for a report over 1 MiB as JSON
     * @throws UncheckedIOException when the file cannot be written (the report is not attached)
     */
    @Override
    public void attach(BuildReport report) {
        String what = "report " + report.kind() + "/" + report.name();
        checkName("kind", report.kind());
        checkName("name", report.name());
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) plain(what, "summary", report.summary(), 0);
        Object data = plain(what, "data", report.data(), 0);
        BuildReport copy = new BuildReport(report.kind(), report.name(), summary, data);
        int size;
        try {
            size = JSON.writeValueAsBytes(entry(copy)).length;
        } catch (IOException e) {
            throw new IllegalArgumentException("the " + what + " cannot be written as JSON: " + e.getMessage(), e);
        }
        if (size > MAX_REPORT_BYTES) {
            throw new IllegalArgumentException("the " + what + " takes " + size + " bytes as JSON, more than the "
                    + MAX_REPORT_BYTES + " a report may: attach the details as an artifact and keep the report to what a page shows");
        }
        synchronized (reports) {
            List<BuildReport> next = new ArrayList<>(reports);
            int at = -1;
            for (int i = 0; i < next.size(); i++) {
                if (next.get(i).kind().equals(copy.kind()) && next.get(i).name().equals(copy.name())) {
                    at = i;
                }
            }
            if (at >= 0) {
                next.set(at, copy);
            } else {
                next.add(copy);
            }
            write(next);
            reports.clear();
            reports.addAll(next);
        }
    }

    @Override
    public List<BuildReport> list() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    private void write(List<BuildReport> all) {
        if (file == null) {
            return;
        }
        List<Object> entries = new ArrayList<>();
        all.forEach(r -> entries.add(entry(r)));
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.write(tmp, JSON.writeValueAsBytes(Map.of("reports", entries)));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the reports of this build cannot be written to " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> entry(BuildReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind());
        m.put("name", r.name());
        m.put("summary", r.summary());
        m.put("data", r.data());
        return m;
    }

    private static void checkName(String field, String value) {
        if (value.isBlank() || value.length() > MAX_NAME || value.indexOf('/') >= 0 || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a report's " + field + " must be 1 to " + MAX_NAME
                    + " characters without '/' or control characters (it is part of the report's URL), not '" + value + "'");
        }
    }

    /** A copy of {@code v} in plain JSON types (String, Boolean, Number, ArrayList, LinkedHashMap, null). */
    private static Object plain(String what, String path, Object v, int depth) {
        if (depth > 64) {
            throw new IllegalArgumentException("the " + what + " is nested more than 64 levels deep at " + path + " (a value that contains itself?)");
        }
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
                || v instanceof Short || v instanceof Byte || v instanceof BigInteger || v instanceof BigDecimal) {
            return v;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("the " + what + " has " + v + " at " + path + ", which JSON cannot hold: use null or a string");
            }
            return v;
        }
        if (v instanceof CharSequence s) {
            return s.toString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof CharSequence key)) {
                    throw new IllegalArgumentException("the " + what + " has a map key of type "
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getName()) + " in " + path + ": keys must be strings");
                }
                out.put(key.toString(), plain(what, path + "." + key, e.getValue(), depth + 1));
            }
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            int i = 0;
            for (Object o : c) {
                out.add(plain(what, path + "[" + i++ + "]", o, depth + 1));
            }
            return Collections.unmodifiableList(out);
        }
        throw new IllegalArgumentException("the " + what + " has a " + v.getClass().getName() + " at " + path
                + ": a report holds only null, strings, booleans, numbers, and lists and maps of those");
    }
}
