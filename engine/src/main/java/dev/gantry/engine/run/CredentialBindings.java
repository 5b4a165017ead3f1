package dev.gantry.engine.run;

import dev.gantry.api.credentials.Credential;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns a resolved credential into environment variables, as Jenkins' credentials binding does:
 * for {@code withCredentials([string(...), usernamePassword(...), usernameColonPassword(...),
 * sshUserPrivateKey(...), file(...), certificate(...)])} and for
 * {@code environment { X = credentials('id') }}. Secret values are registered with the build's
 * {@link BuildSecrets} (masked from then on); files (keys, secret files, keystores) are written
 * outside the workspace, into a fresh directory (mode 700, files mode 600) in the workspace's
 * {@code <workspace>@tmp} on its node (an agent's too), or a private temporary directory on this
 * machine, which {@link #unbind} deletes (and the build's end, when the block could not).
 */
public final class CredentialBindings {
    /** The binding symbols {@code withCredentials} understands. */
    public static final Set<String> SYMBOLS = Set.of("string", "usernamePassword", "usernameColonPassword", "sshUserPrivateKey",
            "file", "certificate");

    private CredentialBindings() {
    }

    /**
     * What a binding set: the variables, and the directory of files written for it (or null).
     *
     * @param variables by name; immutable
     * @param directory the directory of files written on this machine, or null
     * @param nodeFile deletes the file written on the workspace's node (an agent), or null
     * @param secrets the build's secrets that also delete {@code nodeFile} at the end, or null
     */
    public record Bound(Map<String, String> variables, Path directory, BuildSecrets.Cleanup nodeFile, BuildSecrets secrets) {
        /** Variables, and a directory of this machine (or null). */
        public Bound(Map<String, String> variables, Path directory) {
            this(variables, directory, null, null);
        }
    }

    /**
     * Binds {@code c} as {@code symbol(arguments)} asks.
     *
     * @param workspace the current workspace, or null; files are written on its node, never inside it
     * @throws StepFailedException naming the binding, the argument or the mismatch of types
     */
    public static Bound bind(String symbol, Credential c, Map<String, Object> arguments, Workspace workspace, BuildSecrets secrets)
            throws IOException {
        Map<String, String> vars = new LinkedHashMap<>();
        Path dir = null;
        BuildSecrets.Cleanup nodeFile = null;
        switch (symbol) {
            case "string" -> {
                expect(symbol, c, "string");
                String v = required(symbol, arguments, "variable");
                vars.put(v, c.field("secret"));
                secrets.add(v, c.field("secret"));
            }
            case "usernamePassword" -> {
                expect(symbol, c, "usernamePassword");
                String u = required(symbol, arguments, "usernameVariable");
                String p = required(symbol, arguments, "passwordVariable");
                vars.put(u, c.field("username"));
                vars.put(p, c.field("password"));
                secrets.add(p, c.field("password"));
            }
            case "usernameColonPassword" -> {
                expect(symbol, c, "usernamePassword");
                String v = required(symbol, arguments, "variable");
                String value = c.field("username") + ":" + c.field("password");
                vars.put(v, value);
                secrets.add(v, value);
                secrets.add(v, c.field("password"));
            }
            case "sshUserPrivateKey" -> {
                expect(symbol, c, "sshUserPrivateKey");
                String keyVar = required(symbol, arguments, "keyFileVariable");
                Placed key = place(symbol, c, workspace, secrets, "id_" + c.id().replaceAll("[^A-Za-z0-9._-]", "_"),
                        normaliseKey(c.field("privateKey")).getBytes(StandardCharsets.UTF_8));
                dir = key.dir;
                nodeFile = key.nodeFile;
                vars.put(keyVar, key.path);
                secrets.add(keyVar, c.field("privateKey"));
                String passVar = optional(arguments, "passphraseVariable");
                String passphrase = c.fields().getOrDefault("passphrase", "");
                if (passVar != null) {
                    vars.put(passVar, passphrase);
                }
                secrets.add(passVar == null ? "passphrase of " + c.id() : passVar, passphrase);
                String userVar = optional(arguments, "usernameVariable");
                if (userVar != null) {
                    vars.put(userVar, c.field("username"));
                }
            }
            case "file" -> {
                expect(symbol, c, "file");
                String v = required(symbol, arguments, "variable");
                byte[] content = Base64.getDecoder().decode(c.field("contentBase64"));
                Placed f = place(symbol, c, workspace, secrets, safeName(c.field("fileName")), content);
                dir = f.dir;
                nodeFile = f.nodeFile;
                vars.put(v, f.path);
                String text = utf8(content);
                if (text != null) {
                    secrets.add(v, text.strip());
                }
            }
            case "certificate" -> {
                expect(symbol, c, "certificate");
                String v = required(symbol, arguments, "keystoreVariable");
                byte[] keystore = Base64.getDecoder().decode(c.field("keystoreBase64"));
                Placed f = place(symbol, c, workspace, secrets, "keystore.p12", keystore);
                dir = f.dir;
                nodeFile = f.nodeFile;
                vars.put(v, f.path);
                String password = c.fields().getOrDefault("password", "");
                String passVar = optional(arguments, "passwordVariable");
                if (passVar != null) {
                    vars.put(passVar, password);
                }
                secrets.add(passVar == null ? "password of " + c.id() : passVar, password);
                String aliasVar = optional(arguments, "aliasVariable");
                if (aliasVar != null) {
                    vars.put(aliasVar, firstAlias(keystore, password, c.id()));
                }
            }
            default -> throw new StepFailedException("withCredentials: unknown binding '" + symbol + "'; use one of "
                    + String.join(", ", new java.util.TreeSet<>(SYMBOLS)));
        }
        return new Bound(Collections.unmodifiableMap(vars), dir, nodeFile, nodeFile == null ? null : secrets);
    }

    /**
     * Binds {@code c} with a plugin's binding, called as {@code symbol(arguments)}: see
     * {@link dev.gantry.api.credentials.CredentialBinding}. Its values are masked (all but those it
     * declares public), the credential's secret fields too; what it writes goes into a private
     * directory beside the workspace on its node, deleted by {@link #unbind} (or the build's end).
     *
     * @throws StepFailedException naming the binding and the credential when the plugin's binding refuses or fails
     */
    public static Bound bind(String symbol, dev.gantry.api.credentials.CredentialBinding plugin, Credential c,
                             Map<String, Object> arguments, Workspace workspace, BuildSecrets secrets) throws IOException {
        return PluginBindings.bind(symbol, plugin, c, arguments, workspace, secrets);
    }

    /**
     * {@code X = credentials('id')} in an {@code environment} block: secret text sets {@code X};
     * username with password sets {@code X} to {@code user:password}, {@code X_USR} and
     * {@code X_PSW}; a secret file, SSH key or certificate sets {@code X} to the file's path (with
     * {@code X_USR} and {@code X_PSW} for the key's user and passphrase, {@code X_PSW} for the
     * keystore's password).
     */
    public static Bound environment(String variable, Credential c, Workspace workspace, BuildSecrets secrets) throws IOException {
        return switch (c.type()) {
            case "string" -> bind("string", c, Map.of("variable", variable), workspace, secrets);
            case "usernamePassword" -> {
                Map<String, String> vars = new LinkedHashMap<>();
                vars.putAll(bind("usernameColonPassword", c, Map.of("variable", variable), workspace, secrets).variables());
                vars.putAll(bind("usernamePassword", c, Map.of("usernameVariable", variable + "_USR", "passwordVariable", variable + "_PSW"),
                        workspace, secrets).variables());
                yield new Bound(Collections.unmodifiableMap(vars), null);
            }
            case "file" -> bind("file", c, Map.of("variable", variable), workspace, secrets);
            case "sshUserPrivateKey" -> bind("sshUserPrivateKey", c, Map.of("keyFileVariable", variable, "usernameVariable", variable + "_USR",
                    "passphraseVariable", variable + "_PSW"), workspace, secrets);
            case "certificate" -> bind("certificate", c, Map.of("keystoreVariable", variable, "passwordVariable", variable + "_PSW"),
                    workspace, secrets);
            default -> throw new StepFailedException("credentials('" + c.id() + "'): credentials of type " + c.type()
                    + " cannot be put into an environment variable; use withCredentials with a binding for it");
        };
    }

    /** Deletes the files a binding wrote; nothing to do for bindings without files. */
    public static void unbind(Bound bound) throws IOException {
        if (bound != null && bound.directory() != null) {
            BuildSecrets.deleteTree(bound.directory());
        }
        if (bound != null && bound.nodeFile() != null) {
            bound.nodeFile().run();
            if (bound.secrets() != null) {
                bound.secrets().done(bound.nodeFile());
            }
        }
    }

    private static void expect(String symbol, Credential c, String type) {
        if (!c.type().equals(type)) {
            throw new StepFailedException(symbol + "(credentialsId: '" + c.id() + "'): the credential is of type " + c.type()
                    + ", but " + symbol + " needs one of type " + type);
        }
    }

    private static String required(String symbol, Map<String, Object> args, String name) {
        String v = optional(args, name);
        if (v == null) {
            throw new StepFailedException(symbol + "(...) needs " + name + ": the name of the environment variable to set");
        }
        return v;
    }

    private static String optional(Map<String, Object> args, String name) {
        Object v = args.get(name);
        if (v == null || String.valueOf(v).isBlank()) {
            return null;
        }
        String s = String.valueOf(v);
        if (!isVariableName(s)) {
            throw new StepFailedException(name + " '" + s + "' is not a valid environment variable name");
        }
        return s;
    }

    private static final java.util.regex.Pattern VARIABLE_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Whether {@code name} (not null) may name an environment variable a binding sets. */
    static boolean isVariableName(String name) {
        return VARIABLE_NAME.matcher(name).matches();
    }

    /**
     * A new temporary directory only this user can enter (mode 700 where the file system has
     * modes), for a binding's files on this machine; the caller has it deleted.
     */
    static Path privateTempDirectory() throws IOException {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? Files.createTempDirectory("gantry-secrets-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                : Files.createTempDirectory("gantry-secrets-");
    }

    /** Where a binding's file went: its path on the workspace's node, and what deletes it. */
    private record Placed(String path, Path dir, BuildSecrets.Cleanup nodeFile) {
    }

    /**
     * Writes one binding's file, never inside a workspace (its files would be archived, stashed or
     * left behind by a failed cleanup): on the workspace's node in {@code <workspace>@tmp}, in a
     * directory of its own (mode 700, the file 600); without a workspace, or on a workspace of this
     * machine, in a private temporary directory. Either is deleted when the build ends at the latest.
     */
    private static Placed place(String symbol, Credential c, Workspace workspace, BuildSecrets secrets, String name, byte[] content)
            throws IOException {
        if (workspace != null && !(workspace instanceof dev.gantry.engine.workspace.LocalWorkspace)) {
            if (!(workspace instanceof dev.gantry.engine.workspace.ScriptHost host)) {
                throw new StepFailedException(symbol + "(credentialsId: '" + c.id() + "'): the workspace on node '" + workspace.nodeName()
                        + "' cannot hold temporary files outside itself, so credentials cannot be bound as files there;"
                        + " use string or usernamePassword bindings");
            }
            String path = host.writeTempScript(name, content, false);
            BuildSecrets.Cleanup delete = () -> host.deleteTempScript(path);
            secrets.deleteAtEnd(path + " on node " + workspace.nodeName(), delete);
            return new Placed(path, null, delete);
        }
        Path dir = privateTempDirectory();
        secrets.deleteAtEnd(dir);
        return new Placed(write(dir, name, content).toString(), dir, null);
    }

    private static Path write(Path dir, String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(f);
        }
        Files.write(f, content);
        return f;
    }

    private static String safeName(String name) {
        String base = name == null ? "" : name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        return base.isEmpty() || base.equals(".") || base.equals("..") ? "secret-file" : base;
    }

    /** ssh refuses keys without a final line break. */
    private static String normaliseKey(String key) {
        String k = key.replace("\r\n", "\n");
        return k.endsWith("\n") ? k : k + "\n";
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String firstAlias(byte[] keystore, String password, String id) {
        try (InputStream in = new java.io.ByteArrayInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            Enumeration<String> aliases = ks.aliases();
            return aliases.hasMoreElements() ? aliases.nextElement() : "";
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new StepFailedException("certificate(credentialsId: '" + id + "'): the keystore cannot be opened with its password: "
                    + e.getMessage());
        }
    }
}
