package dev.gantry.engine.server;

import dev.gantry.engine.store.BuildRecord;

/**
 * Told when builds start and end (metrics, and later notifiers). Called on the executor's
 * thread; implementations must be quick and thread-safe, and must not throw.
 */
public interface BuildListener {

    /** A build left the queue after waiting {@code queuedMillis}. */
    default void started(BuildRecord build, long queuedMillis) {
    }

    /** A build ended; {@code build} is its final record. */
    default void completed(BuildRecord build) {
    }
}
