package dev.gantry.engine.plugin;

/**
 * The engine's version as plugins see it (what {@code Plugin-Requires} is checked against): the
 * release this source tree builds, without a {@code -SNAPSHOT} qualifier, since a snapshot of
 * 0.1.0 must satisfy {@code >=0.1.0}. Kept equal to the parent pom's version by
 * {@code EngineVersionTest}.
 */
public final class EngineVersion {
    /** The engine version, e.g. {@code 0.1.0}. */
    public static final String CURRENT = "0.1.0";

    private EngineVersion() {
    }
}
