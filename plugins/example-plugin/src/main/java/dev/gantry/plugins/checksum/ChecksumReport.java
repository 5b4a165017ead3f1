package dev.gantry.plugins.checksum;

import dev.gantry.api.report.BuildReport;
import dev.gantry.api.report.BuildReports;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The build's {@code checksum:checksums} report: every file {@code writeChecksum} digested in the
 * build, with its SHA-256 ({@code data.files: [{file, sha256}]}, {@code summary.files}: how
 * many). Served by the REST API and shown by {@link ChecksumPanel}.
 */
final class ChecksumReport {
    static final String KIND = "checksum:checksums";
    static final String NAME = "sha256";

    private ChecksumReport() {
    }

    /** Adds (or updates) {@code file}'s digest in the build's report. */
    static void add(BuildReports reports, String file, String sha256) {
        // Parallel branches share the build's reports: the read and the attach go together.
        synchronized (reports) {
            List<Map<String, Object>> files = new ArrayList<>();
            for (BuildReport r : reports.list()) {
                if (r.kind().equals(KIND) && r.name().equals(NAME)) {
                    files.addAll(files(r));
                }
            }
            files.removeIf(f -> file.equals(f.get("file")));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", file);
            entry.put("sha256", sha256);
            files.add(entry);
            reports.attach(new BuildReport(KIND, NAME, Map.of("files", files.size()), Map.of("files", files)));
        }
    }

    /** The report's files, each {@code {file, sha256}}; empty for data of another shape. */
    static List<Map<String, Object>> files(BuildReport report) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (report.data() instanceof Map<?, ?> data && data.get("files") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    Map<String, Object> copy = new LinkedHashMap<>();
                    copy.put("file", String.valueOf(m.get("file")));
                    copy.put("sha256", String.valueOf(m.get("sha256")));
                    out.add(copy);
                }
            }
        }
        return out;
    }
}
