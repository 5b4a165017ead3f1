package dev.gantry.engine.store;

import java.time.Instant;

/**
 * A pipeline job as stored: its full name ({@code team-a/api}), inline script, and the version
 * that optimistic locking compares (1 on creation, +1 on every update).
 */
public record JobRecord(String name, String script, long version, Instant created, Instant updated) {
}
