package dev.gantry.engine.workspace;

import java.io.IOException;

/**
 * A process could not be started; the message is the C library's, worded as the JDK words a
 * failed launch ({@code error=2, No such file or directory}), so that users see the same text
 * whichever way the process was launched.
 */
final class SpawnException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    SpawnException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    /** The C library's error number ({@code errno}). */
    int errno() {
        return errno;
    }
}
