package dev.gantry.engine.plugin;

/**
 * A change to the plugins that would break others or cannot be made to this plugin (disabling a
 * plugin that enabled ones need, uninstalling a bundled one); the message says what to do instead.
 */
public final class PluginConflictException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PluginConflictException(String message) {
        super(message);
    }
}
