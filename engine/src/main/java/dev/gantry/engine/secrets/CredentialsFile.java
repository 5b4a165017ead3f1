package dev.gantry.engine.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.api.credentials.Credential;
import dev.gantry.api.credentials.CredentialLookup;
import dev.gantry.api.credentials.CredentialType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Credentials for {@code gantry run --credentials FILE}: a YAML or JSON file with a list
 * {@code credentials}, each with {@code id}, {@code type} and the type's fields (see
 * {@link CredentialTypes}); a secret file may give {@code path} and a certificate
 * {@code keystorePath} instead of base64, relative to the credentials file. Read once; the lookup
 * is immutable and thread-safe.
 */
public final class CredentialsFile {
    private CredentialsFile() {
    }

    /**
     * Reads the file.
     *
     * @throws IOException naming the file and, for a bad entry, its position and what is wrong
     */
    public static CredentialLookup read(Path file) throws IOException {
        String name = file.getFileName().toString();
        ObjectMapper mapper = name.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        JsonNode root;
        try {
            root = mapper.readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not valid " + (name.endsWith(".json") ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage(), e);
        }
        JsonNode list = root == null ? null : root.get("credentials");
        if (list == null || !list.isArray()) {
            throw new IOException(file + ": expected a list 'credentials' of entries with id, type and the type's fields");
        }
        Map<String, Credential> byId = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode entry : list) {
            String where = file + ": credentials[" + index++ + "]";
            if (!entry.isObject() || !entry.path("id").isTextual() || !entry.path("type").isTextual()) {
                throw new IOException(where + " needs 'id' and 'type'");
            }
            String id = entry.get("id").asText();
            Map<String, String> fields = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = entry.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getKey().equals("id") && !f.getKey().equals("type") && !f.getKey().equals("description")) {
                    fields.put(f.getKey(), f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString());
                }
            }
            try {
                inline(file, fields, "path", "contentBase64");
                inline(file, fields, "keystorePath", "keystoreBase64");
                CredentialType t = CredentialTypes.get(entry.get("type").asText());
                Map<String, String> checked = CredentialTypes.check(t, fields);
                if (byId.put(id, new Credential(id, t.id(), checked, CredentialTypes.secretFields(t))) != null) {
                    throw new IllegalArgumentException("the id '" + id + "' is used twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IOException(where + " ('" + id + "'): " + e.getMessage(), e);
            }
        }
        return id -> {
            Credential c = byId.get(id);
            if (c == null) {
                throw new NoSuchElementException("no credential with id '" + id + "' in " + file + " (it has "
                        + (byId.isEmpty() ? "none" : String.join(", ", byId.keySet())) + ")");
            }
            return c;
        };
    }

    private static void inline(Path file, Map<String, String> fields, String pathField, String base64Field) throws IOException {
        String p = fields.remove(pathField);
        if (p == null) {
            return;
        }
        Path target = file.toAbsolutePath().getParent().resolve(p);
        try {
            fields.put(base64Field, Base64.getEncoder().encodeToString(Files.readAllBytes(target)));
        } catch (IOException e) {
            throw new IllegalArgumentException(pathField + " '" + p + "' cannot be read: " + e.getMessage());
        }
    }
}
