package dev.gantry.engine.local;

import dev.gantry.api.agent.NodeTasks;
import dev.gantry.api.task.TaskHandlerExtension;
import dev.gantry.api.workspace.Workspace;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Plugin tasks run in this process, on the workspace as it is: what a build without agents
 * ({@code gantry run}, the plugin test kit) offers steps as {@link NodeTasks}. Arguments and the
 * result are handed over as they are, without a trip through JSON. Thread-safe when the handlers are.
 */
public final class LocalNodeTasks implements NodeTasks {
    private final Supplier<List<TaskHandlerExtension>> handlers;

    /** @param handlers the task handlers available now; called on each task */
    public LocalNodeTasks(Supplier<List<TaskHandlerExtension>> handlers) {
        this.handlers = Objects.requireNonNull(handlers, "handlers");
    }

    /**
     * Runs the handler of {@code handler} here, with the handler's class loader as the context loader.
     *
     * @throws IOException when no handler has that task type (the known ones are named), or the
     *     handler failed with a checked exception other than an IOException (wrapped, with its message)
     */
    @Override
    public Object run(Workspace workspace, String handler, Map<String, Object> arguments, OutputStream log)
            throws IOException, InterruptedException {
        TaskHandlerExtension found = null;
        TreeSet<String> known = new TreeSet<>();
        for (TaskHandlerExtension h : handlers.get()) {
            known.add(h.taskType());
            if (found == null && h.taskType().equals(handler)) {
                found = h;
            }
        }
        if (found == null) {
            throw new IOException("no task handler '" + handler + "' here (handlers: " + (known.isEmpty() ? "none" : String.join(", ", known))
                    + "); install the plugin that provides it");
        }
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(found.getClass().getClassLoader());
        try {
            return found.run(workspace, Collections.unmodifiableMap(new LinkedHashMap<>(arguments)), new StreamConsole(log));
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
