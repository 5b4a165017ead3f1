package dev.gantry.engine.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reads server-sent events from a response body, as a browser's EventSource would split them. */
final class SseEvents implements AutoCloseable {
    private final BufferedReader in;
    int comments;

    SseEvents(InputStream body) {
        this.in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** One event: its type ("message" when unnamed), id and data. */
    record Event(String type, String id, String data) {
        JsonNode json() {
            try {
                return Api.JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("event data is not JSON: " + data, e);
            }
        }

        /** The log bytes a log event carries. */
        byte[] bytes() {
            JsonNode j = json();
            return j.has("base64") ? Base64.getDecoder().decode(j.get("base64").asText()) : j.get("text").asText().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The next event, or null at the end of the stream. */
    Event next() throws IOException {
        String type = "message";
        String id = null;
        StringBuilder data = null;
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(type, id, data.toString());
                }
                type = "message";
                continue;
            }
            if (line.startsWith(":")) {
                comments++;
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "event" -> type = value;
                case "id" -> id = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { }
            }
        }
        return null;
    }

    /** Reads log events until the end event; appends their bytes to {@code log}; returns the end event. */
    Event readToEnd(ByteArrayOutputStream log) throws IOException {
        for (Event e; (e = next()) != null; ) {
            if (e.type().equals("end")) {
                return e;
            }
            log.writeBytes(e.bytes());
        }
        throw new AssertionError("the stream ended without an end event");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
