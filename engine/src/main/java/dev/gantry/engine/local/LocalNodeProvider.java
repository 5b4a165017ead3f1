package dev.gantry.engine.local;

import dev.gantry.api.build.NodeLease;
import dev.gantry.api.workspace.Workspace;
import dev.gantry.engine.run.NodeProvider;
import dev.gantry.engine.workspace.LocalWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The one node of a local run: this machine. Every label matches. Concurrent leases get
 * workspaces {@code WS}, {@code WS@2}, {@code WS@3} ... as Jenkins names them.
 */
public final class LocalNodeProvider implements dev.gantry.engine.run.NodeProvider {
    static final String NODE = "local";
    private final Path root;
    private final Set<Path> inUse = ConcurrentHashMap.newKeySet();

    public LocalNodeProvider(Path root) {
        this.root = root;
    }

    @Override
    public NodeLease allocate(String label, String customWorkspace, Consumer<String> console) throws IOException {
        Path ws;
        if (customWorkspace != null && !customWorkspace.isBlank()) {
            Path custom = Path.of(customWorkspace);
            ws = (custom.isAbsolute() ? custom : root.resolveSibling(customWorkspace)).normalize();
            inUse.add(ws);
        } else {
            ws = root;
            for (int i = 2; !inUse.add(ws); i++) {
                ws = root.resolveSibling(root.getFileName() + "@" + i);
            }
        }
        try {
            Files.createDirectories(ws);
        } catch (IOException e) {
            throw new IOException("cannot create the workspace " + ws + ": " + describe(e), e);
        }
        if (label != null && !label.isBlank()) {
            console.accept("Label '" + label + "': a local run uses this machine for every label");
        }
        console.accept("Running on " + NODE + " in " + ws);
        LocalWorkspace workspace = new LocalWorkspace(NODE, ws);
        Path leased = ws;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WORKSPACE", ws.toString());
        env.put("NODE_NAME", NODE);
        env.put("NODE_LABELS", NODE);
        env.put("EXECUTOR_NUMBER", "0");
        return new NodeLease() {
            private boolean closed;

            @Override
            public String nodeName() { return NODE; }

            @Override
            public Workspace workspace() { return workspace; }

            @Override
            public Map<String, String> environment() { return env; }

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    inUse.remove(leased);
                }
            }
        };
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        return e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : (e.getMessage() == null ? kind : kind + " " + e.getMessage());
    }
}
