package dev.gantry.plugins.git;

import dev.gantry.api.credentials.Credential;
import dev.gantry.api.scm.ChangeSetEntry;
import dev.gantry.api.scm.ScmRevision;
import dev.gantry.api.scm.ScmSource;
import dev.gantry.api.step.Console;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.task.TaskHandlerExtension;
import dev.gantry.api.workspace.Workspace;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The {@code git:checkout} task: the clone or fetch of the {@code git} and {@code checkout} steps,
 * run on the node that holds the workspace (a remote agent, or the controller's built-in one),
 * with that node's mirror of the repository. The credential travels in the task's arguments and
 * lives only in memory, or for an SSH key in a private directory deleted when the task ends;
 * the result (the revision, its variables and the commits since the previous build) goes back
 * to the controller as JSON. Stateless.
 */
@Extension
public class CheckoutTask implements TaskHandlerExtension {
    /** The task type, qualified by the plugin id. */
    public static final String TYPE = "git:checkout";

    @Override
    public String taskType() {
        return TYPE;
    }

    @Override
    public Object run(Workspace workspace, Map<String, Object> arguments, Console console) throws Exception {
        GitSettings s;
        try {
            s = GitSettings.of(new ScmSource(GitSettings.TYPE, map(arguments.get("source"))));
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("git: " + e.getMessage());
        }
        Credential c = credential(arguments.get("credential"));
        Console masked = c == null ? console : new MaskingConsole(console, c);
        Path dir = GitScmProvider.localDirectory(workspace);
        GitScmProvider.Outcome o;
        try {
            o = GitScmProvider.withPluginLoader(() -> GitScmProvider.checkoutHere(dir, null, s, c, string(arguments.get("previous")),
                    string(arguments.get("previousSuccessful")), Boolean.TRUE.equals(arguments.get("changelog")), masked));
        } catch (IOException e) {
            throw new StepFailedException(c == null ? e.getMessage() : MaskingConsole.mask(e.getMessage(), c));
        }
        return toJson(o);
    }

    // ------------------------------------------------------------------ the JSON that crosses the network

    /** The task's arguments for a checkout of {@code source}. */
    static Map<String, Object> arguments(ScmSource source, Credential c, ScmRevision previous, ScmRevision previousSuccessful, boolean changelog) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("source", new LinkedHashMap<>(source.settings()));
        if (c != null) {
            Map<String, Object> cred = new LinkedHashMap<>();
            cred.put("id", c.id());
            cred.put("type", c.type());
            cred.put("fields", new LinkedHashMap<>(c.fields()));
            cred.put("secretFields", new ArrayList<>(c.secretFields()));
            a.put("credential", cred);
        }
        a.put("previous", previous == null ? null : previous.id());
        a.put("previousSuccessful", previousSuccessful == null ? null : previousSuccessful.id());
        a.put("changelog", changelog);
        return a;
    }

    static Map<String, Object> toJson(GitScmProvider.Outcome o) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", o.revision().id());
        r.put("branch", o.revision().branch());
        r.put("tag", o.revision().tag());
        r.put("environment", new LinkedHashMap<>(o.revision().environment()));
        List<Object> changes = new ArrayList<>();
        for (ChangeSetEntry e : o.changes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("commitId", e.revision());
            m.put("author", e.author());
            m.put("authorEmail", e.authorEmail());
            m.put("timestamp", e.timestamp() == null ? null : e.timestamp().toString());
            m.put("msg", e.message());
            m.put("affectedPaths", new ArrayList<>(e.paths()));
            changes.add(m);
        }
        r.put("changes", changes);
        return r;
    }

    /**
     * The outcome a node answered.
     *
     * @throws StepFailedException when the answer is not one (a node running another version of the plugin)
     */
    static GitScmProvider.Outcome fromJson(Object result) {
        if (!(result instanceof Map<?, ?> r) || !(r.get("id") instanceof String id)) {
            throw new StepFailedException("git: the node answered the checkout with " + result + " instead of a revision;"
                    + " does it run another version of the git plugin?");
        }
        Map<String, String> env = new LinkedHashMap<>();
        map(r.get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        ScmRevision revision = new ScmRevision(id, string(r.get("branch")), string(r.get("tag")), env);
        List<ChangeSetEntry> changes = new ArrayList<>();
        if (r.get("changes") instanceof List<?> l) {
            for (Object o : l) {
                Map<String, Object> m = map(o);
                List<String> paths = new ArrayList<>();
                if (m.get("affectedPaths") instanceof List<?> p) {
                    p.forEach(x -> paths.add(String.valueOf(x)));
                }
                String ts = string(m.get("timestamp"));
                changes.add(new ChangeSetEntry(string(m.get("commitId")), string(m.get("author")), string(m.get("authorEmail")),
                        ts == null ? null : Instant.parse(ts), string(m.get("msg")), paths));
            }
        }
        return new GitScmProvider.Outcome(revision, changes);
    }

    private static Credential credential(Object o) {
        if (!(o instanceof Map<?, ?> m)) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        map(m.get("fields")).forEach((k, v) -> {
            if (v != null) {
                fields.put(k, String.valueOf(v));
            }
        });
        Set<String> secret = new HashSet<>();
        if (m.get("secretFields") instanceof List<?> l) {
            l.forEach(x -> secret.add(String.valueOf(x)));
        }
        return new Credential(String.valueOf(m.get("id")), String.valueOf(m.get("type")), fields, secret);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        return Map.of();
    }

    private static String string(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    /**
     * The task's console with the credential's secrets (password, token, key, passphrase) replaced
     * by {@code ****}: the agent's lines reach the build log before the controller's masking knows them.
     */
    static final class MaskingConsole implements Console {
        private final Console inner;
        private final Credential credential;

        MaskingConsole(Console inner, Credential credential) {
            this.inner = inner;
            this.credential = credential;
        }

        @Override
        public void println(String line) {
            inner.println(mask(line, credential));
        }

        @Override
        public java.io.OutputStream stream() {
            return inner.stream();
        }

        static String mask(String text, Credential c) {
            if (text == null) {
                return null;
            }
            List<String> secrets = new ArrayList<>();
            for (String f : List.of("password", "token", "secret", "text", "privateKey", "key", "passphrase")) {
                String v = c.fields().get(f);
                if (v != null && v.length() >= 3) {
                    secrets.add(v);
                }
            }
            c.secretFields().forEach(f -> {
                String v = c.fields().get(f);
                if (v != null && v.length() >= 3) {
                    secrets.add(v);
                }
            });
            secrets.sort(Comparator.comparingInt(String::length).reversed());
            String out = text;
            for (String v : secrets) {
                out = out.replace(v, "****");
            }
            return out;
        }
    }
}
