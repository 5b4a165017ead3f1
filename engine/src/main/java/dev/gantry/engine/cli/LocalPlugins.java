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
    // Held so that the levels set below stick (java.util.logging keeps loggers weakly).
    private static final Logger PF4J = Logger.getLogger("org.pf4j");
    private static final Logger PLUGINS = Logger.getLogger("dev.gantry.engine.plugin");

    private LocalPlugins() {
    }

    static StepLibrary steps(PrintWriter err) {
        PF4J.setLevel(Level.SEVERE);
        PLUGINS.setLevel(Level.SEVERE);
        PluginSystem plugins = PluginSystem.start(PluginSystem.Config.forHome(ServerCommand.defaultHome().toAbsolutePath().normalize()),
                StepLibrary.builtins());
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
