package dev.gantry.engine.agent;

import dev.gantry.api.workspace.FileSelection;
import dev.gantry.api.workspace.ProcessSpec;
import dev.gantry.api.workspace.RunningProcess;
import dev.gantry.api.workspace.Workspace;
import dev.gantry.engine.workspace.LocalWorkspace;
import dev.gantry.engine.workspace.NonClosingOutputStream;
import dev.gantry.engine.workspace.ScriptHost;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workspace on a node, on the controller: every operation is a task sent to the node's agent
 * (remote, or the built-in one in this process), which does it with the same checks as a local
 * workspace. Paths are checked here too, so an escaping path fails before anything is sent.
 * Immutable and thread-safe.
 */
final class RemoteWorkspace implements Workspace, ScriptHost, dev.gantry.engine.workspace.WorkspaceRoot {
    private static final int PIPE_BYTES = 256 * 1024;

    private final AgentNode node;
    private final TaskIds ids;
    private final String job;
    private final int number;
    private final String root;
    private final String dir;

    RemoteWorkspace(AgentNode node, TaskIds ids, String job, int number, String root, String dir) {
        this.node = node;
        this.ids = ids;
        this.job = job;
        this.number = number;
        this.root = root;
        this.dir = dir;
    }

    AgentNode node() {
        return node;
    }

    @Override
    public String path() {
        String abs = node.absolute(root);
        return dir.isEmpty() ? abs : abs + (node.isUnix() ? "/" : "\\") + (node.isUnix() ? dir : dir.replace('/', '\\'));
    }

    @Override
    public String nodeName() {
        return node.name;
    }

    @Override
    public boolean isUnix() {
        return node.isUnix();
    }

    @Override
    public Workspace rootWorkspace() {
        return dir.isEmpty() ? this : new RemoteWorkspace(node, ids, job, number, root, "");
    }

    @Override
    public Workspace child(String relativePath) throws IOException {
        return new RemoteWorkspace(node, ids, job, number, root, join(dir, relativePath));
    }

    @Override
    public boolean exists(String relativePath) throws IOException {
        return Boolean.TRUE.equals(run("exists", path(relativePath)));
    }

    @Override
    public boolean isDirectory(String relativePath) throws IOException {
        return Boolean.TRUE.equals(run("isDirectory", path(relativePath)));
    }

    @Override
    public InputStream read(String relativePath) throws IOException {
        Pipe pipe = new Pipe(PIPE_BYTES);
        TaskCall call = submit("read", path(relativePath), null, null, null, pipe.sink);
        try {
            call.awaitOutputOrEnd();
        } catch (InterruptedException e) {
            call.cancel();
            throw interrupted();
        }
        Thread.ofVirtual().name("read-" + call.id()).start(() -> {
            try {
                call.await();
                pipe.sink.close();
            } catch (IOException e) {
                pipe.fail(e);
            } catch (InterruptedException | RuntimeException e) {
                pipe.fail(new IOException("reading " + relativePath + " from " + node.name + " failed: " + e.getMessage(), e));
            }
        });
        return pipe.source;
    }

    @Override
    public void write(String relativePath, InputStream content) throws IOException {
        await(submit("write", path(relativePath), null, null, content, null));
    }

    @Override
    public void mkdirs(String relativePath) throws IOException {
        run("mkdirs", path(relativePath));
    }

    @Override
    public void delete(String relativePath) throws IOException {
        run("delete", path(relativePath));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> list(FileSelection selection) throws IOException {
        Object r = await(submit("list", selection(selection), null, null, null, null));
        return r instanceof List<?> l ? new ArrayList<>((List<String>) l) : List.of();
    }

    @Override
    public int archive(FileSelection selection, OutputStream tar) throws IOException {
        OutputStream keepOpen = new NonClosingOutputStream(tar);
        return ((Number) await(submit("archive", selection(selection), null, null, null, keepOpen))).intValue();
    }

    @Override
    public int extract(InputStream tar) throws IOException {
        return ((Number) await(submit("extract", Map.of(), null, null, tar, null))).intValue();
    }

    @Override
    public long freeSpace() throws IOException {
        return ((Number) run("freeSpace", Map.of())).longValue();
    }

    @Override
    public RunningProcess launch(ProcessSpec spec) throws IOException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("command", spec.command());
        args.put("env", spec.environment());
        args.put("separateErr", spec.stderr() != null);
        dev.gantry.engine.run.RunningStep step = dev.gantry.engine.run.RunningStep.current();
        String stepTask = null;
        dev.gantry.engine.run.StepJournal.Launch before = null;
        if (step != null && step.job().equals(job) && step.number() == number) {
            stepTask = TaskIds.forStep(job, number, step.id(), step.nextLaunch());
            before = step.launchedBefore(stepTask);
            if (before != null) {
                ResumedLaunches.check(before, node, stepTask, job, number, step.id(), spec.stdout());
            }
        }
        if (node instanceof RemoteAgent agent && stepTask != null) {
            // A step's process on a remote agent outlives a controller restart: its id is the
            // step call's, so that the resumed build re-attaches to it; the agent keeps it until
            // the step's outcome is journaled.
            TaskCall call = call(stepTask, "process", args, spec.stdout(), spec.stderr(), null, null);
            call.retain(step);
            if (before != null) {
                call.reattachOnly();
            }
            step.whenDone(() -> agent.release(call));
            node.channel().submit(call);
            return new RemoteProcess(call, node.name);
        }
        return new RemoteProcess(submit("process", args, spec.stdout(), spec.stderr(), null, null), node.name);
    }

    @Override
    public String writeTempScript(String fileName, byte[] content, boolean executable) throws IOException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("fileName", fileName);
        args.put("content", Base64.getEncoder().encodeToString(content));
        args.put("executable", executable);
        return String.valueOf(run("tempScript.write", args));
    }

    @Override
    public Workspace tempDirectoryOf(String tempScriptPath) throws IOException {
        int slash = Math.max(tempScriptPath.lastIndexOf('/'), tempScriptPath.lastIndexOf('\\'));
        String d = slash <= 0 ? "" : tempScriptPath.substring(0, slash);
        String name = d.substring(Math.max(d.lastIndexOf('/'), d.lastIndexOf('\\')) + 1);
        if (!name.startsWith("durable-") || !d.contains("@tmp")) {
            throw new IOException(tempScriptPath + " is not a temporary script of " + node.absolute(root));
        }
        // An absolute root: the agent takes it as it is (a relative one would have to stay in its work directory).
        return new RemoteWorkspace(node, ids, job, number, d, "");
    }

    @Override
    public void deleteTempScript(String path) throws IOException {
        run("tempScript.delete", Map.of("path", path));
    }

    /**
     * Runs a plugin's task handler here.
     *
     * @param plugin the plugin that provides it ({@code id}, {@code version}, {@code sha256}), which
     *     an agent fetches first when it lacks it; null when none is known
     */
    Object handler(String handler, Map<String, Object> arguments, Map<String, Object> plugin, OutputStream log)
            throws IOException, InterruptedException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("handler", handler);
        args.put("arguments", arguments);
        if (plugin != null) {
            args.put("plugin", plugin);
        }
        return submit("handler", args, log, null, null, null).await();
    }

    @Override
    public String toString() {
        return "workspace " + path() + " on " + node.name;
    }

    // ---- tasks ---------------------------------------------------------------------------

    private Object run(String type, Map<String, Object> args) throws IOException {
        return await(submit(type, args, null, null, null, null));
    }

    private TaskCall submit(String type, Map<String, Object> args, OutputStream out, OutputStream err, InputStream in, OutputStream output) {
        TaskCall call = call(ids.next(), type, args, out, err, in, output);
        node.channel().submit(call);
        return call;
    }

    private TaskCall call(String id, String type, Map<String, Object> args, OutputStream out, OutputStream err, InputStream in, OutputStream output) {
        Map<String, Object> all = new LinkedHashMap<>(args);
        all.put("root", root);
        all.put("dir", dir);
        return new TaskCall(new Task(id, type, all), job, number, out, err, in, output);
    }

    private Object await(TaskCall call) throws IOException {
        try {
            return call.await();
        } catch (InterruptedException e) {
            call.awaitQuietly(2_000);
            throw interrupted();
        }
    }

    private InterruptedIOException interrupted() {
        Thread.currentThread().interrupt();
        return new InterruptedIOException("interrupted while waiting for node " + node.name);
    }

    private static Map<String, Object> path(String relativePath) throws IOException {
        if (relativePath == null) {
            throw new IOException("A workspace path is required (got null)");
        }
        return Map.of("path", relativePath);
    }

    private static Map<String, Object> selection(FileSelection s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("includes", s.includes());
        m.put("excludes", s.excludes());
        m.put("defaultExcludes", s.useDefaultExcludes());
        return m;
    }

    /** Joins {@code base} and {@code path} lexically; refuses absolute paths and climbing above the root. */
    static String join(String base, String path) throws IOException {
        if (path == null) {
            throw new IOException("A workspace path is required (got null)");
        }
        if (path.startsWith("/") || path.startsWith("\\") || path.length() >= 2 && path.charAt(1) == ':') {
            throw new IOException("Path '" + path + "' is absolute; use a path relative to the workspace");
        }
        return LocalWorkspace.joinSegments(base, path, "[/\\\\]");
    }
}
