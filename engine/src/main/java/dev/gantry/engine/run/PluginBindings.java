package dev.gantry.engine.run;

import dev.gantry.api.credentials.Credential;
import dev.gantry.api.credentials.CredentialBinding;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.FileSelection;
import dev.gantry.api.workspace.ProcessSpec;
import dev.gantry.api.workspace.RunningProcess;
import dev.gantry.api.workspace.Workspace;
import dev.gantry.engine.workspace.LocalWorkspace;
import dev.gantry.engine.workspace.ScriptHost;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds a credential with a plugin's {@link CredentialBinding} inside {@code withCredentials}:
 * the binding gets a private directory on the body's node for its files, made only when it
 * writes one, in the same place the built-in file bindings use ({@code <workspace>@tmp} on an
 * agent, a private temporary directory for a workspace of this machine); its values are masked
 * unless it declares them public, and the credential's secret fields always. What it wrote goes
 * when the body ends, or when the build ends at the latest.
 */
final class PluginBindings {
    private PluginBindings() {
    }

    static CredentialBindings.Bound bind(String symbol, CredentialBinding binding, Credential c, Map<String, Object> arguments,
                                         Workspace workspace, BuildSecrets secrets) throws IOException {
        Map<String, Object> args = new LinkedHashMap<>(arguments);
        args.remove("type");
        args.remove("credentialsId");
        String what = symbol + "(credentialsId: '" + c.id() + "')";
        Scratch scratch = workspace == null ? null : new Scratch(workspace, secrets, what);
        Map<String, String> vars;
        Set<String> visible;
        try {
            vars = binding.bind(c, Collections.unmodifiableMap(args), scratch);
            if (vars == null) {
                vars = Map.of();
            }
            visible = binding.publicVariables(vars);
        } catch (IllegalArgumentException e) {
            cleanQuietly(scratch);
            throw new StepFailedException(what + ": " + e.getMessage());
        } catch (IOException | RuntimeException | LinkageError e) {
            cleanQuietly(scratch);
            throw new StepFailedException(what + " of a plugin failed: "
                    + (e.getMessage() == null ? e.getClass().getName() : e.getClass().getName() + ": " + e.getMessage()), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : vars.entrySet()) {
            if (e.getKey() == null || !CredentialBindings.isVariableName(e.getKey())) {
                cleanQuietly(scratch);
                throw new StepFailedException(what + ": the plugin's binding set the variable '"
                        + e.getKey() + "', which is not a valid environment variable name");
            }
            String v = e.getValue() == null ? "" : e.getValue();
            out.put(e.getKey(), v);
            if (visible == null || !visible.contains(e.getKey())) {
                secrets.add(e.getKey(), v);
            }
        }
        for (String f : c.secretFields()) {
            String v = c.fields().get(f);
            if (v != null) {
                secrets.add(f + " of " + c.id(), v);
            }
        }
        Map<String, String> bound = Collections.unmodifiableMap(out);
        BuildSecrets.Cleanup undo = () -> {
            try {
                binding.unbind(bound, scratch);
            } catch (RuntimeException | LinkageError e) {
                throw new IOException(what + ": the plugin's unbind threw " + e, e);
            } finally {
                if (scratch != null) {
                    scratch.delete();
                }
            }
        };
        secrets.deleteAtEnd("what " + what + " wrote", undo);
        return new CredentialBindings.Bound(bound, null, undo, secrets);
    }

    private static void cleanQuietly(Scratch scratch) {
        if (scratch != null) {
            try {
                scratch.delete();
            } catch (IOException e) {
                // The build's end tries again (deleteAtEnd).
            }
        }
    }

    /**
     * The binding's directory: nothing exists until the binding first touches it. Thread-safe.
     */
    static final class Scratch implements Workspace {
        private final Workspace body;
        private final BuildSecrets secrets;
        private final String what;
        private Workspace made;
        private BuildSecrets.Cleanup delete;

        /** @param what the binding's call, for messages: {@code symbol(credentialsId: 'id')} */
        Scratch(Workspace body, BuildSecrets secrets, String what) {
            this.body = body;
            this.secrets = secrets;
            this.what = what;
        }

        private synchronized Workspace dir() throws IOException {
            if (made != null) {
                return made;
            }
            if (body instanceof LocalWorkspace local) {
                Path d = CredentialBindings.privateTempDirectory();
                delete = () -> BuildSecrets.deleteTree(d);
                secrets.deleteAtEnd(d);
                made = new LocalWorkspace(local.nodeName(), d);
            } else if (body instanceof ScriptHost host) {
                String marker = host.writeTempScript(".binding", new byte[0], false);
                delete = () -> host.deleteTempScript(marker);
                secrets.deleteAtEnd(marker + " on node " + body.nodeName(), delete);
                made = host.tempDirectoryOf(marker);
            } else {
                throw new StepFailedException(what + ": the workspace on node '" + body.nodeName()
                        + "' cannot hold files outside itself, so this binding cannot write its files there");
            }
            return made;
        }

        synchronized void delete() throws IOException {
            if (delete != null) {
                BuildSecrets.Cleanup d = delete;
                delete = null;
                d.run();
                secrets.done(d);
            }
        }

        @Override
        public String path() {
            try {
                return dir().path();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(what + ": cannot make the directory for the binding's files: " + e.getMessage(), e);
            }
        }

        @Override
        public String nodeName() {
            return body.nodeName();
        }

        @Override
        public boolean isUnix() {
            return body.isUnix();
        }

        @Override
        public Workspace child(String relativePath) throws IOException {
            return dir().child(relativePath);
        }

        @Override
        public boolean exists(String relativePath) throws IOException {
            return dir().exists(relativePath);
        }

        @Override
        public boolean isDirectory(String relativePath) throws IOException {
            return dir().isDirectory(relativePath);
        }

        @Override
        public InputStream read(String relativePath) throws IOException {
            return dir().read(relativePath);
        }

        @Override
        public void write(String relativePath, InputStream content) throws IOException {
            dir().write(relativePath, content);
        }

        @Override
        public void mkdirs(String relativePath) throws IOException {
            dir().mkdirs(relativePath);
        }

        @Override
        public void delete(String relativePath) throws IOException {
            dir().delete(relativePath);
        }

        @Override
        public List<String> list(FileSelection selection) throws IOException {
            return dir().list(selection);
        }

        @Override
        public int archive(FileSelection selection, OutputStream tar) throws IOException {
            return dir().archive(selection, tar);
        }

        @Override
        public int extract(InputStream tar) throws IOException {
            return dir().extract(tar);
        }

        @Override
        public long freeSpace() throws IOException {
            return body.freeSpace();
        }

        @Override
        public RunningProcess launch(ProcessSpec spec) throws IOException {
            return dir().launch(spec);
        }
    }
}
