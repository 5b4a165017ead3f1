package dev.gantry.engine.agent;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a task's failure crosses the wire: a kind and the message, turned back into the exception
 * the {@link dev.gantry.api.workspace.Workspace} contract promises (a missing file stays a
 * {@link NoSuchFileException}, so steps word it as they would locally).
 */
final class TaskErrors {
    private TaskErrors() {
    }

    static Map<String, Object> toJson(Throwable e) {
        String kind;
        if (e instanceof NoSuchFileException) {
            kind = "no_such_file";
        } else if (e instanceof FileNotFoundException) {
            kind = "file_not_found";
        } else if (e instanceof IllegalArgumentException) {
            kind = "illegal_argument";
        } else if (e instanceof InterruptedException) {
            kind = "cancelled";
        } else {
            kind = "io";
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("message", message);
        return m;
    }

    /** The exception for a failure that came back; IOException unless it was an argument error. */
    static Exception fromJson(Map<?, ?> error) {
        String kind = String.valueOf(error.get("kind"));
        String message = String.valueOf(error.get("message"));
        return switch (kind) {
            case "no_such_file" -> new NoSuchFileException(message);
            case "file_not_found" -> new FileNotFoundException(message);
            case "illegal_argument" -> new IllegalArgumentException(message);
            default -> new IOException(message);
        };
    }
}
