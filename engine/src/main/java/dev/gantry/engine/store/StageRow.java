package dev.gantry.engine.store;

/** One stage of a build: name, enclosing stage (or null), result and duration, in start order. */
public record StageRow(String name, String parent, String result, long durationMillis) {
}
