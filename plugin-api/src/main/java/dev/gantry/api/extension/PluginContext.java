package dev.gantry.api.extension;

import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * What the engine tells a started plugin about itself and its surroundings, handed to
 * {@link GantryPlugin} before {@link GantryPlugin#start()}. Thread-safe; valid while the plugin
 * is started.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface PluginContext {

    /** The plugin's id ({@code Plugin-Id} of its manifest). */
    String pluginId();

    /** The plugin's version ({@code Plugin-Version}). */
    String pluginVersion();

    /** The version of the engine running the plugin, for example {@code 0.1.0}. */
    String engineVersion();

    /**
     * A directory the plugin may keep files in, created on first call and kept across restarts
     * and upgrades ({@code <home>/plugin-data/<id>} on a controller; a temporary directory for a
     * local run). Removed only when an operator deletes it.
     */
    Path dataDirectory();

    /** A logger named after the plugin; its messages go to the engine's log with the plugin's id. */
    System.Logger logger();
}
