package dev.gantry.plugins.checksum;

import dev.gantry.api.ui.BuildPanel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * The "Checksums" panel on the build page: a table of the files {@code writeChecksum} digested
 * in the build ({@link ChecksumReport}). Absent from builds without the report. The page shows
 * the HTML in a sandboxed frame; it is still escaped here, since file names come from builds.
 */
@Extension
public class ChecksumPanel implements BuildPanel {

    @Override
    public String id() {
        return "checksums";
    }

    @Override
    public String title() {
        return "Checksums";
    }

    @Override
    public Optional<String> render(BuildView build) {
        return build.report(ChecksumReport.KIND, ChecksumReport.NAME).map(r -> {
            List<Map<String, Object>> files = ChecksumReport.files(r);
            StringBuilder html = new StringBuilder("<table style=\"border-collapse: collapse; font: 14px sans-serif\">"
                    + "<thead><tr><th style=\"text-align: left; padding: 2px 12px 2px 0\">File</th>"
                    + "<th style=\"text-align: left\">SHA-256</th></tr></thead><tbody>");
            for (Map<String, Object> f : files) {
                html.append("<tr><td style=\"padding: 2px 12px 2px 0\">").append(escape(f.get("file")))
                        .append("</td><td><code>").append(escape(f.get("sha256"))).append("</code></td></tr>");
            }
            return html.append("</tbody></table>").toString();
        });
    }

    static String escape(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
