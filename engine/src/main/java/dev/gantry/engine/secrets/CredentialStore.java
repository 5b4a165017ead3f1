package dev.gantry.engine.secrets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.credentials.Credential;
import dev.gantry.api.credentials.CredentialLookup;
import dev.gantry.api.credentials.CredentialType;
import dev.gantry.engine.store.CredentialRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The controller's credentials: global (scope {@code ""}) or held by a folder (scope = the
 * folder's full name). Fields are encrypted with AES-GCM under the master key before they reach
 * the database; what is listed or returned after creation never contains them. A job sees the
 * credentials of its folder, then of each enclosing folder, then the global ones. Thread-safe.
 */
public final class CredentialStore {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CredentialRepository repo;
    private final SecretCipher cipher;
    private final Predicate<String> folderExists;

    /** What may be shown of a credential: everything but its fields. */
    public record Info(String scope, String id, String type, String description, Instant created, Instant updated) {
    }

    CredentialStore(CredentialRepository repo, SecretCipher cipher, Predicate<String> folderExists) {
        this.repo = repo;
        this.cipher = cipher;
        this.folderExists = folderExists;
    }

    /**
     * Stores a new credential.
     *
     * @param scope {@code ""} or an existing folder's full name
     * @param fields the type's fields (see {@link CredentialTypes}); secret ones included
     * @throws IllegalArgumentException naming the id, type, field or folder that is not valid
     * @throws IllegalStateException when the scope has a credential with this id already
     */
    public Info create(String scope, String id, String type, String description, Map<String, String> fields) {
        checkScope(scope);
        checkId(id);
        CredentialType t = CredentialTypes.get(type);
        Map<String, String> checked = CredentialTypes.check(t, fields == null ? Map.of() : fields);
        Instant now = Instant.now();
        CredentialRepository.Row row = new CredentialRepository.Row(scope, id, t.id(), description == null ? "" : description,
                seal(scope, id, t.id(), checked), now, now);
        if (!repo.create(row)) {
            throw new IllegalStateException("a credential with id '" + id + "' exists already " + where(scope)
                    + "; update or delete it instead");
        }
        return info(row);
    }

    /**
     * Changes a credential. Fields given replace those stored (the others are kept); a null type
     * or description keeps the current one.
     *
     * @throws NoSuchElementException when there is no such credential
     * @throws IllegalArgumentException naming what is not valid
     */
    public Info update(String scope, String id, String type, String description, Map<String, String> fields) {
        checkScope(scope);
        CredentialRepository.Row old = repo.find(scope, id).orElseThrow(() -> missing(scope, id));
        CredentialType t = CredentialTypes.get(type == null ? old.type() : type);
        Map<String, String> merged = new LinkedHashMap<>();
        if (t.id().equals(old.type())) {
            merged.putAll(open(old));
        }
        if (fields != null) {
            if (fields.containsKey("content")) {
                merged.remove("contentBase64");
            }
            merged.putAll(fields);
        }
        Map<String, String> checked = CredentialTypes.check(t, merged);
        CredentialRepository.Row row = new CredentialRepository.Row(scope, id, t.id(),
                description == null ? old.description() : description, seal(scope, id, t.id(), checked), old.created(), Instant.now());
        if (!repo.update(row)) {
            throw missing(scope, id);
        }
        return info(row);
    }

    /** Deletes a credential; false when there was none. */
    public boolean delete(String scope, String id) {
        checkScope(scope);
        return repo.delete(scope, id);
    }

    /** The credentials of a scope, by id, without their fields. */
    public List<Info> list(String scope) {
        checkScope(scope);
        return repo.list(scope).stream().map(CredentialStore::info).toList();
    }

    public Optional<Info> info(String scope, String id) {
        checkScope(scope);
        return repo.find(scope, id).map(CredentialStore::info);
    }

    /**
     * The fields of a credential that its type does not mark secret (a user name, a file's name),
     * for a form that edits it; never a secret field.
     *
     * @throws NoSuchElementException when there is no such credential
     */
    public Map<String, String> publicFields(String scope, String id) {
        checkScope(scope);
        CredentialRepository.Row row = repo.find(scope, id).orElseThrow(() -> missing(scope, id));
        Set<String> secret = CredentialTypes.secretFields(CredentialTypes.get(row.type()));
        Map<String, String> out = new LinkedHashMap<>(open(row));
        out.keySet().removeIf(secret::contains);
        return out;
    }

    /** Uses of credentials, newest first; null filters match everything. */
    public List<CredentialRepository.Use> uses(String job, String scope, String id, int limit) {
        return repo.uses(job, scope, id, limit);
    }

    /**
     * The lookup for one build of {@code job}: its folders from the innermost out, then global.
     * Each successful lookup is recorded as a use by this build.
     */
    public CredentialLookup lookup(String job, int build) {
        Objects.requireNonNull(job, "job");
        return id -> {
            for (String scope : scopesOf(job)) {
                Optional<CredentialRepository.Row> row = repo.find(scope, id);
                if (row.isPresent()) {
                    Credential c = credential(row.get());
                    repo.recordUse(new CredentialRepository.Use(job, build, scope, id, Instant.now()));
                    return c;
                }
            }
            throw new NoSuchElementException("no credential with id '" + id + "' is visible to job '" + job
                    + "' (looked in " + String.join(", ", scopesOf(job).stream().map(CredentialStore::where).toList())
                    + "); create it with 'gantry credentials create' or POST /api/v1/credentials");
        };
    }

    /** The scopes a job sees, innermost first: {@code a/b/job} sees {@code a/b}, {@code a}, {@code ""}. */
    static List<String> scopesOf(String job) {
        List<String> out = new ArrayList<>();
        String s = job;
        while (s.contains("/")) {
            s = s.substring(0, s.lastIndexOf('/'));
            out.add(s);
        }
        out.add("");
        return out;
    }

    private Credential credential(CredentialRepository.Row row) {
        CredentialType t = CredentialTypes.get(row.type());
        return new Credential(row.id(), row.type(), open(row), CredentialTypes.secretFields(t));
    }

    private byte[] seal(String scope, String id, String type, Map<String, String> fields) {
        byte[] plain;
        try {
            plain = JSON.writeValueAsBytes(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return cipher.encrypt(plain, associated(scope, id, type));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private Map<String, String> open(CredentialRepository.Row row) {
        byte[] plain = cipher.decrypt(row.secretData(), associated(row.scope(), row.id(), row.type()));
        try {
            return JSON.readValue(plain, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("credential '" + row.id() + "' " + where(row.scope()) + " cannot be read: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static String associated(String scope, String id, String type) {
        return scope + '\0' + id + '\0' + type;
    }

    private static Info info(CredentialRepository.Row r) {
        return new Info(r.scope(), r.id(), r.type(), r.description(), r.created(), r.updated());
    }

    private void checkScope(String scope) {
        Objects.requireNonNull(scope, "scope");
        if (!scope.isEmpty() && !folderExists.test(scope)) {
            throw new NoSuchElementException("there is no folder '" + scope + "'");
        }
    }

    private static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("credential id '" + id + "' is not valid: use 1 to 200 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
    }

    private static NoSuchElementException missing(String scope, String id) {
        return new NoSuchElementException("there is no credential '" + id + "' " + where(scope));
    }

    static String where(String scope) {
        return scope.isEmpty() ? "in the global scope" : "in folder '" + scope + "'";
    }
}
