package dev.gantry.engine.agent;

import dev.gantry.api.agent.TaskContext;
import dev.gantry.api.agent.TaskHandler;
import dev.gantry.api.task.TaskHandlerExtension;
import dev.gantry.api.workspace.FileSelection;
import dev.gantry.api.workspace.ProcessSpec;
import dev.gantry.api.workspace.Workspace;
import dev.gantry.engine.workspace.LocalProcess;
import dev.gantry.engine.workspace.LocalWorkspace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Runs tasks on the machine it lives on, in a work directory: the agent process's side of the
 * protocol, and the built-in agent's. Every workspace operation goes through
 * {@link LocalWorkspace}, so the same path checks hold on every node. Thread-safe.
 */
final class TaskRunner {
    private final String nodeName;
    private final Path workdir;
    private final Map<String, TaskHandler> handlers;
    private volatile PluginHandlers plugins = PluginHandlers.NONE;

    TaskRunner(String nodeName, Path workdir, Map<String, TaskHandler> handlers) {
        this.nodeName = nodeName;
        this.workdir = workdir.toAbsolutePath().normalize();
        this.handlers = Map.copyOf(handlers);
    }

    /** Where {@code handler} tasks find plugin handlers besides the class path's. */
    void plugins(PluginHandlers p) {
        this.plugins = p == null ? PluginHandlers.NONE : p;
    }

    /** The task handlers on the class path of {@code loader}, by name; the first of a name wins. */
    static Map<String, TaskHandler> loadHandlers(ClassLoader loader) {
        Map<String, TaskHandler> found = new LinkedHashMap<>();
        for (TaskHandler h : ServiceLoader.load(TaskHandler.class, loader)) {
            found.putIfAbsent(h.name(), h);
        }
        return found;
    }

    Path workdir() {
        return workdir;
    }

    /** One task while it runs: cancelling kills its process tree or interrupts its thread. */
    static final class Running {
        final Task task;
        private volatile Thread thread;
        private volatile LocalProcess process;
        private volatile boolean cancelled;

        Running(Task task) {
            this.task = task;
        }

        boolean cancelled() {
            return cancelled;
        }

        void cancel() {
            cancelled = true;
            LocalProcess p = process;
            if (p != null) {
                Thread.ofVirtual().start(p::kill);
            } else {
                Thread t = thread;
                if (t != null) {
                    t.interrupt();
                }
            }
        }
    }

    /**
     * Runs {@code running}'s task on the calling thread.
     *
     * @return the task's result value (a JSON value)
     * @throws Exception the task's failure
     */
    Object run(Running running, TaskIo io) throws Exception {
        running.thread = Thread.currentThread();
        Task t = running.task;
        LocalWorkspace ws = workspace(t);
        String path = t.string("path");
        return switch (t.type()) {
            case "process" -> process(running, ws, io);
            case "exists" -> ws.exists(path);
            case "isDirectory" -> ws.isDirectory(path);
            case "read" -> {
                try (InputStream in = ws.read(path); OutputStream out = io.output()) {
                    yield in.transferTo(out);
                }
            }
            case "write" -> {
                try (InputStream in = io.input()) {
                    ws.write(path, in);
                }
                yield null;
            }
            case "mkdirs" -> {
                ws.mkdirs(path);
                yield null;
            }
            case "delete" -> {
                ws.delete(path);
                yield null;
            }
            case "list" -> ws.list(selection(t));
            case "archive" -> {
                try (OutputStream out = io.output()) {
                    yield ws.archive(selection(t), out);
                }
            }
            case "extract" -> {
                try (InputStream in = io.input()) {
                    yield ws.extract(in);
                }
            }
            case "freeSpace" -> ws.freeSpace();
            case "tempScript.write" -> ws.writeTempScript(t.string("fileName"),
                    Base64.getDecoder().decode(t.string("content")), t.bool("executable"));
            case "tempScript.delete" -> {
                ws.deleteTempScript(path);
                yield null;
            }
            case "handler" -> handler(running, ws, io);
            default -> throw new IllegalArgumentException("this agent does not know tasks of type '" + t.type()
                    + "'; is it older than the controller?");
        };
    }

    private LocalWorkspace workspace(Task t) throws IOException {
        String root = t.string("root");
        if (root == null || root.isBlank()) {
            throw new IOException("the task " + t.id() + " names no workspace root");
        }
        Path r = Path.of(root);
        Path abs = (r.isAbsolute() ? r : workdir.resolve(r)).normalize();
        if (!r.isAbsolute() && !abs.startsWith(workdir)) {
            throw new IOException("the workspace root '" + root + "' leaves the agent's work directory " + workdir);
        }
        try {
            return new LocalWorkspace(nodeName, abs, t.string("dir"));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static FileSelection selection(Task t) {
        Object d = t.args().get("defaultExcludes");
        return new FileSelection(t.string("includes"), t.string("excludes"), d == null || Boolean.TRUE.equals(d));
    }

    private static Object process(Running running, LocalWorkspace ws, TaskIo io) throws IOException {
        Task t = running.task;
        List<String> command = t.strings("command");
        OutputStream out = io.log(AgentProtocol.OUT);
        OutputStream err = t.bool("separateErr") ? io.log(AgentProtocol.ERR) : null;
        ProcessSpec spec = new ProcessSpec(command, t.stringMap("env"), out, err);
        if (running.cancelled) {
            return Map.of("exitCode", 143, "cancelled", true);
        }
        LocalProcess p = (LocalProcess) ws.launch(spec);
        running.process = p;
        if (running.cancelled) {
            p.kill();
        }
        int code;
        while (true) {
            try {
                code = p.waitFor();
                break;
            } catch (InterruptedException e) {
                // Cancellation kills the process; waiting on collects its last output.
                p.kill();
            }
        }
        if (p.outputFailure() != null) {
            throw new IOException("the output of " + command.getFirst() + " could not be sent: " + p.outputFailure().getMessage());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("exitCode", code);
        if (running.cancelled) {
            result.put("cancelled", true);
        }
        return result;
    }

    private Object handler(Running running, LocalWorkspace ws, TaskIo io) throws Exception {
        String name = running.task.string("handler");
        Object payload = running.task.args().get("arguments");
        @SuppressWarnings("unchecked")
        Map<String, Object> arguments = payload instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        OutputStream log = io.log(AgentProtocol.OUT);
        TaskHandler h = handlers.get(name);
        if (h == null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> plugin = running.task.args().get("plugin") instanceof Map<?, ?> p ? (Map<String, Object>) p : null;
            TaskHandlerExtension ext = plugins.find(name, plugin);
            if (ext == null) {
                java.util.Set<String> known = new java.util.TreeSet<>(handlers.keySet());
                known.addAll(plugins.taskTypes());
                throw new IOException("no task handler '" + name + "' on node " + nodeName + " (handlers there: "
                        + (known.isEmpty() ? "none" : String.join(", ", known))
                        + "); install the plugin that provides it on the controller, which sends it to its agents");
            }
            return runExtension(ext, running, ws, java.util.Collections.unmodifiableMap(arguments), log);
        }
        return h.run(java.util.Collections.unmodifiableMap(arguments), new TaskContext() {
            @Override
            public Workspace workspace() {
                return ws;
            }

            @Override
            public OutputStream log() {
                return log;
            }

            @Override
            public boolean isCancelled() {
                return running.cancelled;
            }
        });
    }

    /** Runs a plugin's handler with the plugin's class loader as the context loader, as its steps run. */
    private static Object runExtension(TaskHandlerExtension ext, Running running, LocalWorkspace ws, Map<String, Object> arguments,
                                       OutputStream log) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(ext.getClass().getClassLoader());
        try {
            if (running.cancelled) {
                throw new InterruptedException("task " + running.task.id() + " was cancelled");
            }
            return ext.run(ws, arguments, new dev.gantry.engine.local.StreamConsole(log));
        } finally {
            t.setContextClassLoader(before);
        }
    }

    static InputStream bytes(byte[] b) {
        return new ByteArrayInputStream(b);
    }
}
