package dev.gantry.api.extension;

import java.util.Objects;
import org.apiguardian.api.API;
import org.pf4j.Plugin;

/**
 * Optional base class of a plugin's main class (named by {@code Plugin-Class} in its manifest),
 * for plugins that need to set something up when they start or tear it down when they stop.
 * Plugins that only contribute extensions need no main class at all.
 *
 * <p><b>Lifecycle.</b> The engine creates the instance with the public no-argument constructor,
 * gives it its {@link #context()}, then calls {@link #start()} once, before any of the plugin's
 * extensions is used; {@link #stop()} once when the plugin is disabled, uninstalled or upgraded,
 * or when the process ends, after its extensions were withdrawn. A plugin that throws from
 * {@code start} stays unloaded with its error shown in {@code gantry plugin list}; the engine
 * keeps running. {@link #stop()} must release every thread and resource {@code start} took:
 * the plugin's class loader is closed right after.
 *
 * <p><b>Threading.</b> {@code start} and {@code stop} are called on an engine thread, never
 * concurrently with each other; they should return within seconds.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class GantryPlugin extends Plugin {
    private volatile PluginContext context;

    /**
     * The engine's side of the plugin. Available from {@link #start()} on.
     *
     * @throws IllegalStateException when called from the constructor, before the engine attached it
     */
    protected final PluginContext context() {
        PluginContext c = context;
        if (c == null) {
            throw new IllegalStateException("the plugin context is available from start() on, not in the constructor");
        }
        return c;
    }

    /**
     * Called by the engine, once, before {@link #start()}; plugins never call it.
     *
     * @throws IllegalStateException when a context was attached already
     */
    @API(status = API.Status.INTERNAL, since = "0.1")
    public final void attach(PluginContext pluginContext) {
        Objects.requireNonNull(pluginContext, "pluginContext");
        if (context != null) {
            throw new IllegalStateException("the plugin context of " + pluginContext.pluginId() + " was attached already");
        }
        context = pluginContext;
    }
}
