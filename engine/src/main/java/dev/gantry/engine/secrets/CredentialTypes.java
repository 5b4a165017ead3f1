package dev.gantry.engine.secrets;

import dev.gantry.api.credentials.CredentialType;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The credential types the controller knows without plugins, with their fields, and the check
 * of a credential's fields against its type. Ids are the binding symbols of
 * {@code withCredentials}: {@code string}, {@code usernamePassword}, {@code sshUserPrivateKey},
 * {@code file}, {@code certificate}. Started plugins add theirs ({@link CredentialType} extensions,
 * see {@link #plugins}); a plugin type whose id is a built-in's, or an earlier plugin's, is left
 * out with a warning naming it.
 */
public final class CredentialTypes {
    private static final Map<String, CredentialType> BUILT_IN = new LinkedHashMap<>();
    private static final Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The controller's plugins; one controller per process (the last installed wins, as in tests that start several one after another). */
    private static volatile java.util.function.Supplier<java.util.Optional<dev.gantry.engine.plugin.PluginSystem>> plugins = java.util.Optional::empty;

    static {
        add("string", "Secret text", List.of(new CredentialType.Field("secret", true, true, "The secret text.")));
        add("usernamePassword", "Username with password", List.of(
                new CredentialType.Field("username", false, true, "The user name."),
                new CredentialType.Field("password", true, true, "The password.")));
        add("sshUserPrivateKey", "SSH username with private key", List.of(
                new CredentialType.Field("username", false, true, "The user name."),
                new CredentialType.Field("privateKey", true, true, "The private key, PEM or OpenSSH format, with its BEGIN and END lines."),
                new CredentialType.Field("passphrase", true, false, "The key's passphrase, if it has one."),
                new CredentialType.Field("knownHosts", false, false,
                        "known_hosts lines of the servers this key is for ([git.example.org]:2222 ssh-ed25519 AAAA...); the git plugin trusts them")));
        add("file", "Secret file", List.of(
                new CredentialType.Field("fileName", false, true, "The file's name, as steps see it."),
                new CredentialType.Field("contentBase64", true, true, "The file's bytes, base64-encoded (the API also takes 'content' as text).")));
        add("certificate", "Certificate (PKCS#12)", List.of(
                new CredentialType.Field("keystoreBase64", true, true, "The PKCS#12 keystore, base64-encoded."),
                new CredentialType.Field("password", true, false, "The keystore's password, if it has one.")));
    }

    private CredentialTypes() {
    }

    private static void add(String id, String name, List<CredentialType.Field> fields) {
        BUILT_IN.put(id, new CredentialType() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String displayName() {
                return name;
            }

            @Override
            public List<Field> fields() {
                return fields;
            }
        });
    }

    /**
     * Makes the credential types of {@code system}'s started plugins known, read at each lookup
     * (a plugin installed or disabled later is seen at once). Thread-safe.
     */
    public static void plugins(java.util.function.Supplier<java.util.Optional<dev.gantry.engine.plugin.PluginSystem>> system) {
        plugins = Objects.requireNonNull(system, "system");
    }

    /** The built-in types, then the started plugins' (in load order), each id once. */
    public static List<CredentialType> all() {
        return List.copyOf(known().values());
    }

    /** The types by id: built-ins first; a plugin's type with an id already taken is left out with a warning. */
    private static Map<String, CredentialType> known() {
        java.util.Optional<dev.gantry.engine.plugin.PluginSystem> system = plugins.get();
        if (system.isEmpty() || !system.get().started()) {
            return BUILT_IN;
        }
        List<CredentialType> extensions = system.get().extensions(CredentialType.class);
        if (extensions.isEmpty()) {
            return BUILT_IN;
        }
        Map<String, CredentialType> out = new LinkedHashMap<>(BUILT_IN);
        Map<String, String> owners = new java.util.HashMap<>();
        for (CredentialType t : extensions) {
            String plugin = system.get().pluginOf(t);
            String id;
            try {
                id = t.id();
                t.fields();
            } catch (RuntimeException e) {
                warnOnce(plugin + "/" + t.getClass().getName(), "the credential type " + t.getClass().getName() + " of plugin " + plugin
                        + " is left out: it threw " + e);
                continue;
            }
            if (id == null || id.isBlank()) {
                warnOnce(plugin + "/" + t.getClass().getName(), "the credential type " + t.getClass().getName() + " of plugin " + plugin
                        + " is left out: its id is empty");
            } else if (out.containsKey(id)) {
                warnOnce(plugin + "/" + id, "the credential type '" + id + "' of plugin " + plugin + " is left out: "
                        + (BUILT_IN.containsKey(id) ? "a built-in type" : "plugin " + owners.get(id) + "'s type")
                        + " has that id; give it an id qualified by the plugin's (" + plugin + ":" + id + ")");
            } else {
                out.put(id, t);
                owners.put(id, plugin);
            }
        }
        return out;
    }

    private static void warnOnce(String key, String message) {
        if (WARNED.add(key)) {
            System.getLogger(CredentialTypes.class.getName()).log(System.Logger.Level.WARNING, message);
        }
    }

    /**
     * The type with this id.
     *
     * @throws IllegalArgumentException naming the id and the known types when there is none
     */
    public static CredentialType get(String id) {
        Map<String, CredentialType> known = known();
        CredentialType t = id == null ? null : known.get(id);
        if (t == null) {
            throw new IllegalArgumentException("unknown credential type '" + id + "'; the types are " + String.join(", ", known.keySet())
                    + (id != null && id.contains(":") ? " (a type of a plugin: is the plugin that provides it installed and enabled? see gantry plugin list)" : ""));
        }
        return t;
    }

    /** The names of the type's secret fields. */
    static Set<String> secretFields(CredentialType t) {
        return t.fields().stream().filter(CredentialType.Field::secret).map(CredentialType.Field::name).collect(Collectors.toSet());
    }

    /**
     * Normalises and checks fields for type {@code t}: {@code content} text becomes
     * {@code contentBase64} for a secret file; unknown fields, missing required fields and
     * base64 that does not decode are refused.
     *
     * @throws IllegalArgumentException naming the field
     */
    static Map<String, String> check(CredentialType t, Map<String, String> given) {
        Map<String, String> in = new LinkedHashMap<>(given);
        if (t.id().equals("file") && in.containsKey("content")) {
            if (in.containsKey("contentBase64")) {
                throw new IllegalArgumentException("give either 'content' or 'contentBase64' for a secret file, not both");
            }
            String text = in.remove("content");
            in.put("contentBase64", Base64.getEncoder().encodeToString(text == null ? new byte[0]
                    : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> known = t.fields().stream().map(CredentialType.Field::name).collect(Collectors.toSet());
        for (String name : in.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("a credential of type " + t.id() + " has no field '" + name + "'; its fields are "
                        + t.fields().stream().map(CredentialType.Field::name).collect(Collectors.joining(", ")));
            }
        }
        for (CredentialType.Field f : t.fields()) {
            String v = in.get(f.name());
            if (v == null || (v.isEmpty() && f.required())) {
                if (f.required()) {
                    throw new IllegalArgumentException("a credential of type " + t.id() + " needs the field '" + f.name() + "': " + f.help());
                }
                continue;
            }
            if (f.name().endsWith("Base64")) {
                try {
                    Base64.getDecoder().decode(v);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("the field '" + f.name() + "' is not valid base64: " + e.getMessage());
                }
            }
            out.put(f.name(), v);
        }
        return out;
    }
}
