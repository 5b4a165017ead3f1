package dev.gantry.api.credentials;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * A stored credential, resolved for use: its id, its {@link CredentialType type} and its fields,
 * the secret ones included. Never log it or return it to pipeline code; bind it through a
 * {@link CredentialBinding}, which masks its secrets in the log.
 *
 * @param id the id jobs refer to ({@code credentialsId})
 * @param type the id of its {@link CredentialType}
 * @param fields every field by name (secret and not); immutable
 * @param secretFields the names of the fields that are secret; immutable
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Credential(String id, String type, Map<String, String> fields, Set<String> secretFields) {
    public Credential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        fields = Map.copyOf(fields);
        secretFields = Set.copyOf(secretFields);
    }

    /**
     * A field's value.
     *
     * @throws IllegalArgumentException naming the credential and the field when it has none
     */
    public String field(String name) {
        String v = fields.get(name);
        if (v == null) {
            throw new IllegalArgumentException("credential " + id + " (" + type + ") has no field " + name);
        }
        return v;
    }

    @Override
    public String toString() {
        return "Credential[" + id + ", " + type + "]";
    }
}
