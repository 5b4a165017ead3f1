package dev.gantry.engine.plugin;

import dev.gantry.api.step.FlowInterruptedException;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;

/**
 * A plugin's step as the engine calls it: the plugin's class loader is the thread's context
 * class loader while it runs (libraries that look classes up through it find the plugin's), and
 * whatever it throws, an {@link Error} from a broken class path included, fails the step with
 * the plugin named rather than anything larger. Aborts and step failures pass through unchanged.
 */
final class PluginStep implements Step {
    private static final int TRACE_LINES = 12;

    private final Step step;
    private final String plugin;
    private final ClassLoader loader;
    private final StepDescriptor descriptor;

    PluginStep(Step step, String plugin, ClassLoader loader) {
        this.step = step;
        this.plugin = plugin;
        this.loader = loader;
        this.descriptor = step.descriptor();
    }

    String plugin() {
        return plugin;
    }

    @Override
    public StepDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Object run(StepContext context, StepArguments arguments) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return step.run(context, arguments);
        } catch (StepFailedException | FlowInterruptedException | InterruptedException e) {
            throw e;
        } catch (Exception | LinkageError | StackOverflowError | AssertionError e) {
            context.console().println("The step '" + descriptor.name() + "' of plugin " + plugin + " threw " + e + ":");
            StackTraceElement[] frames = e.getStackTrace();
            for (int i = 0; i < Math.min(TRACE_LINES, frames.length); i++) {
                context.console().println("\tat " + frames[i]);
            }
            throw new StepFailedException("step '" + descriptor.name() + "' of plugin " + plugin + " failed: " + e, e);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    @Override
    public String toString() {
        return "step " + descriptor.name() + " of plugin " + plugin;
    }
}
