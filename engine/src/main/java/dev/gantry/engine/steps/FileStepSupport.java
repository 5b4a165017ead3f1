package dev.gantry.engine.steps;

import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.Workspace;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;

/** What the file and process steps share: path conversion, charsets, error wording. */
final class FileStepSupport {
    private FileStepSupport() {
    }

    /**
     * The path as the workspace takes it. Pipelines often write {@code "${WORKSPACE}/out"};
     * an absolute path inside the current directory is accepted as its relative form, any other
     * absolute path is left for the workspace to reject.
     */
    static String relative(Workspace ws, String path) {
        if (path == null) {
            return null;
        }
        String base = ws.path();
        if (path.equals(base)) {
            return "";
        }
        String prefix = base.endsWith("/") ? base : base + "/";
        if (path.startsWith(prefix)) {
            return path.substring(prefix.length());
        }
        return path;
    }

    /** The charset named by an {@code encoding} argument; null or empty means UTF-8. */
    static Charset charset(String step, String encoding) {
        if (encoding == null || encoding.isBlank()) {
            return java.nio.charset.StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(encoding.trim());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new StepFailedException(step + ": unknown encoding '" + encoding
                    + "'; use a Java charset name such as UTF-8 or ISO-8859-1");
        }
    }

    /** Whether {@code encoding} asks for Base64 (Jenkins' readFile/writeFile special case). */
    static boolean isBase64(String encoding) {
        return encoding != null && encoding.trim().equalsIgnoreCase("Base64");
    }

    /** A step failure carrying the workspace's message, which already names the path. */
    static StepFailedException failed(String step, IOException e) {
        return new StepFailedException(step + ": " + e.getMessage(), e);
    }
}
