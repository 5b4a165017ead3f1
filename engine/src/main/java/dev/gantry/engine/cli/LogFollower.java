package dev.gantry.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Follows a build's log over the controller's server-sent events ({@code .../log/stream}) and
 * writes its bytes exactly as they were logged. When the connection drops it reconnects with
 * {@code Last-Event-ID}, so nothing is skipped or printed twice. Returns the build's exit code.
 */
final class LogFollower {
    private static final int RECONNECTS = 20;
    private final ApiClient client;
    private final String buildPath;
    private final OutputStream out;
    private final PrintWriter err;
    private long offset;

    LogFollower(ApiClient client, String job, int number, OutputStream out, PrintWriter err) {
        this.client = client;
        this.buildPath = ApiClient.jobPath(job) + "/builds/" + number;
        this.out = out;
        this.err = err;
    }

    /** Streams until the build ends; its exit code (0 success, 3 unstable, 4 aborted or not built, 1 otherwise). */
    int follow() throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt <= RECONNECTS; attempt++) {
            try {
                Integer code = readStream();
                if (code != null) {
                    return code;
                }
            } catch (IOException e) {
                last = e;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(2_000L, 100L << Math.min(attempt, 4)) * 1_000_000L);
        }
        throw new IOException("lost the log stream of " + buildPath + " " + (RECONNECTS + 1) + " times"
                + (last == null ? "" : ": " + last.getMessage()), last);
    }

    /** One connection: the exit code once the end event came, or null when the stream broke off before it. */
    private Integer readStream() throws Exception {
        HttpResponse<InputStream> r = client.stream(buildPath + "/log/stream",
                offset > 0 ? Map.of("Accept", "text/event-stream", "Last-Event-ID", Long.toString(offset)) : Map.of("Accept", "text/event-stream"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String type = "message";
            String id = null;
            StringBuilder data = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (data != null) {
                        Integer code = dispatch(type, id, data.toString());
                        if (code != null) {
                            return code;
                        }
                    }
                    type = "message";
                    id = null;
                    data = null;
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    String v = line.substring(5).replaceFirst("^ ", "");
                    data = data == null ? new StringBuilder(v) : data.append('\n').append(v);
                }
            }
        }
        return null;
    }

    private Integer dispatch(String type, String id, String data) throws IOException {
        JsonNode j = ApiClient.JSON.readTree(data);
        if ("end".equals(type)) {
            out.flush();
            if (j.hasNonNull("error")) {
                err.println("gantry: " + j.get("error").asText());
                err.flush();
            }
            return exitCode(j.path("result").asText());
        }
        byte[] bytes = j.has("base64") ? Base64.getDecoder().decode(j.get("base64").asText()) : j.path("text").asText().getBytes(StandardCharsets.UTF_8);
        long start = j.path("start").asLong(offset);
        if (start + bytes.length <= offset) {
            return null; // already printed (a server resending after a reconnect)
        }
        int skip = (int) Math.max(0, offset - start);
        out.write(bytes, skip, bytes.length - skip);
        out.flush();
        offset = id != null ? Long.parseLong(id) : start + bytes.length;
        return null;
    }

    static int exitCode(String result) {
        return switch (result) {
            case "SUCCESS" -> 0;
            case "UNSTABLE" -> 3;
            case "ABORTED", "NOT_BUILT" -> 4;
            default -> 1;
        };
    }
}
