package dev.gantry.engine.cli;

import dev.gantry.engine.plugin.PluginInfo;
import dev.gantry.engine.plugin.PluginState;
import dev.gantry.engine.plugin.PluginSystem;
import dev.gantry.engine.steps.StepLibrary;
import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The steps {@code gantry run}, {@code lint} and {@code steps} use: the built-in ones and those of
 * the plugins bundled with the distribution and installed in the home ({@code $GANTRY_HOME},
 * else {@code ~/.gantry}). Plugins that cannot load are named on standard error, one line each;
 * the command goes on without them.
 */
final class LocalPlugins {
    /** Local commands report plugin problems themselves, one line each: PF4J's and the plugin system's log stays quiet. */
    static void quietLogging() {
        Logging.PF4J.setLevel(Level.SEVERE);
        Logging.PLUGINS.setLevel(Level.SEVERE);
    }

    /** Loggers quieted for local commands; held so that their levels stick (java.util.logging keeps loggers weakly). */
    private static final class Logging {
        static final Logger PF4J = Logger.getLogger("org.pf4j");
        static final Logger PLUGINS = Logger.getLogger("dev.gantry.engine.plugin");
    }

    /** The plugins {@link #steps} started, or null when there were none. */
    private static volatile PluginSystem started;

    private LocalPlugins() {
    }

    /** The task handlers of the plugins {@link #steps} started; empty before, or without plugins. */
    static java.util.List<dev.gantry.api.task.TaskHandlerExtension> taskHandlers() {
        PluginSystem p = started;
        return p == null ? java.util.List.of() : p.extensions(dev.gantry.api.task.TaskHandlerExtension.class);
    }

    static StepLibrary steps(PrintWriter err) {
        PluginSystem.Config config = PluginSystem.Config.forHome(ServerCommand.defaultHome().toAbsolutePath().normalize());
        if (!PluginSystem.anyJars(config)) {
            // No plugin anywhere: skip the plugin system and its logging, which a short command would feel.
            return StepLibrary.builtins();
        }
        quietLogging();
        PluginSystem plugins = PluginSystem.start(config, StepLibrary.builtins());
        started = plugins;
        for (PluginInfo i : plugins.list()) {
            if (i.state() == PluginState.INVALID || i.state() == PluginState.FAILED) {
                err.println("gantry: plugin " + i.id() + " (" + i.file() + ") is not loaded: " + i.error());
            }
        }
        err.flush();
        // The plugins stay started until the process ends: the run uses them to its last step.
        return plugins.steps().snapshot();
    }
}
