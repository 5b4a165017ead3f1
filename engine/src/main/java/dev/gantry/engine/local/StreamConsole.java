package dev.gantry.engine.local;

import dev.gantry.api.step.Console;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A task's log as a {@link Console}: lines and raw output go to the same stream, in order (a
 * plugin's task handler on an agent, on the built-in node or in a local run). Thread-safe.
 */
public final class StreamConsole implements Console {
    private final OutputStream log;

    public StreamConsole(OutputStream log) {
        this.log = log;
    }

    @Override
    public void println(String line) {
        try {
            synchronized (log) {
                log.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                log.flush();
            }
        } catch (IOException e) {
            // The log is gone (the task was cancelled): nobody is left to read the line.
        }
    }

    @Override
    public OutputStream stream() {
        return new java.io.FilterOutputStream(log) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                synchronized (log) {
                    log.write(b, off, len);
                }
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
