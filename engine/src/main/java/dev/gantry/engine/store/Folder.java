package dev.gantry.engine.store;

import java.time.Instant;

/** A folder of jobs as stored: its full name ({@code team-a} or {@code team-a/services}). */
public record Folder(String name, String description, Instant created) {
}
