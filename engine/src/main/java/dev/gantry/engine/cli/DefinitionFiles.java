package dev.gantry.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code gantry job apply} for definition files: sends the file to {@code POST /api/v1/apply} and reports each job. */
final class DefinitionFiles {
    private DefinitionFiles() {
    }

    static boolean isDefinition(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    static int apply(ApiClient client, Path file, boolean dryRun, PrintWriter out) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file", file.getFileName().toString());
        body.put("content", Files.readString(file));
        body.put("dryRun", dryRun);
        JsonNode r = client.call("POST", "api/v1/apply", body);
        for (JsonNode j : r.path("jobs")) {
            String action = j.path("action").asText();
            boolean project = "multibranch".equals(j.path("kind").asText());
            out.println((dryRun ? "would be " : "") + action + "\t" + j.path("name").asText()
                    + (project ? "\tmultibranch project" : "\tversion " + j.path("version").asText()));
            if (j.hasNonNull("scanError")) {
                out.println("\tthe scan of " + j.path("name").asText() + " failed (the project is saved; POST /api/v1/multibranch/"
                        + j.path("name").asText() + "/scan to scan again): " + j.path("scanError").asText());
            }
        }
        return 0;
    }

    /** One problem as {@code FILE:LINE:COLUMN: message}, with the path the user gave. */
    static String format(Path file, JsonNode p) {
        StringBuilder b = new StringBuilder(file.toString()).append(':');
        if (p.has("line")) {
            b.append(p.path("line").asInt()).append(':').append(p.path("column").asInt()).append(':');
        }
        b.append(' ');
        if (!p.has("line") && p.has("field")) {
            b.append(p.path("field").asText()).append(": ");
        }
        return b.append(p.path("message").asText()).toString();
    }
}
