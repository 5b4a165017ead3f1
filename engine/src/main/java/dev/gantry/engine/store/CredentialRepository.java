package dev.gantry.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stored credentials (their fields already encrypted by the caller) and the record of which build
 * used which credential. Scope {@code ""} is global; any other scope is a folder's full name.
 * Thread-safe.
 */
public interface CredentialRepository {

    /** One stored credential; {@code secretData} is the encrypted fields (nonce, ciphertext, tag). */
    record Row(String scope, String id, String type, String description, byte[] secretData, Instant created, Instant updated) {
    }

    /** One use of a credential by a build. */
    record Use(String job, int build, String scope, String credentialId, Instant used) {
    }

    /** The credentials of one scope, by id. */
    List<Row> list(String scope);

    Optional<Row> find(String scope, String id);

    /** Inserts a credential; false when the scope already has one with that id. */
    boolean create(Row row);

    /** Replaces type, description, data and update time; false when there is none. */
    boolean update(Row row);

    /** False when there was none. */
    boolean delete(String scope, String id);

    /** Records that a build used a credential. */
    void recordUse(Use use);

    /**
     * Uses, newest first. Each filter may be null (no filter).
     *
     * @param limit at most this many (1..1000)
     */
    List<Use> uses(String job, String scope, String credentialId, int limit);
}
