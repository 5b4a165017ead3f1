package dev.gantry.api.step;

import java.io.OutputStream;
import org.apiguardian.api.API;

/**
 * The console log as seen by one step. Output is attributed to the step and its stage, may be
 * prefixed (parallel branch names, timestamps) and has secrets masked by the engine. Lines are
 * passed through as bytes: output that is not UTF-8 is kept as it is. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Console {

    /** Writes one line of text (a line break is added). */
    void println(String line);

    /** Writes a warning line, marked as such ({@code WARNING: ...}). */
    default void warn(String message) {
        println("WARNING: " + message);
    }

    /**
     * A stream for raw output, such as a process's. The engine splits it into lines and never
     * holds more than one bounded line in memory; the caller must close it to flush a last
     * partial line. Each call returns a new stream.
     */
    OutputStream stream();
}
