package dev.gantry.engine.plugin;

/** Where a plugin stands, as {@code gantry plugin list} and {@code /api/v1/plugins} show it. */
public enum PluginState {
    /** Loaded and started: its steps and extensions are in use. */
    STARTED,
    /** Valid and enabled, not loaded because nothing runs here (offline listing with {@code --home}). */
    ENABLED,
    /** Disabled by an operator; kept installed, not loaded. */
    DISABLED,
    /** Cannot be loaded: bad manifest, missing or conflicting dependency, engine too old; see the error. */
    INVALID,
    /** Loaded, but its main class or one of its extensions threw while starting; see the error. */
    FAILED,
    /** The change takes effect when the controller restarts (the old version could not be unloaded). */
    RESTART_REQUIRED
}
