package dev.gantry.engine.secrets;

import dev.gantry.api.credentials.CredentialType;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The credential types the controller knows without plugins, with their fields, and the check
 * of a credential's fields against its type. Ids are the binding symbols of
 * {@code withCredentials}: {@code string}, {@code usernamePassword}, {@code sshUserPrivateKey},
 * {@code file}, {@code certificate}.
 */
public final class CredentialTypes {
    private static final Map<String, CredentialType> BUILT_IN = new LinkedHashMap<>();

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

    /** The built-in types, in a stable order. */
    public static List<CredentialType> all() {
        return List.copyOf(BUILT_IN.values());
    }

    /**
     * The type with this id.
     *
     * @throws IllegalArgumentException naming the id and the known types when there is none
     */
    public static CredentialType get(String id) {
        CredentialType t = id == null ? null : BUILT_IN.get(id);
        if (t == null) {
            throw new IllegalArgumentException("unknown credential type '" + id + "'; the types are " + String.join(", ", BUILT_IN.keySet()));
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
