package dev.gantry.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Users, their API tokens, role grants and the audit log: what {@code dev.gantry.engine.security}
 * keeps. Values are bound as statement parameters, never spliced into SQL, so any text (a user
 * name such as {@code x' OR '1'='1}) is stored or compared verbatim. Thread-safe.
 */
public interface SecurityRepository {
    /**
     * A local user; {@code passwordHash} is a bcrypt hash, or null for a user without a password
     * (tokens only); a {@code disabled} user can neither sign in nor use their tokens.
     */
    record UserRecord(String name, String passwordHash, Instant created, boolean disabled) {
        /** An enabled user. */
        public UserRecord(String name, String passwordHash, Instant created) {
            this(name, passwordHash, created, false);
        }
    }

    /** An API token; only the SHA-256 (hex) of the token is kept; {@code lastUsed} is null until it is used. */
    record TokenRecord(String id, String user, String name, String hash, Instant created, Instant lastUsed) {
        /** A token never used. */
        public TokenRecord(String id, String user, String name, String hash, Instant created) {
            this(id, user, name, hash, created, null);
        }
    }

    /** A browser session: only the SHA-256 (hex) of its id (the cookie) is kept. */
    record SessionRecord(String idHash, String user, Instant created, Instant lastSeen) {
    }

    /** A role granted to a user, globally ({@code folder} empty) or on a folder and everything in it. */
    record GrantRecord(String user, String role, String folder) {
    }

    /** One audit entry; {@code id} is assigned by the store (0 before). */
    record AuditRecord(long id, Instant at, String actor, String action, String target, String detail, String address) {
    }

    /** All users, by name. */
    List<UserRecord> users();

    /** The user, or empty. */
    Optional<UserRecord> user(String name);

    /** Creates a user; false when one of that name exists. */
    boolean createUser(UserRecord user);

    /** Replaces a user's password hash; false when there is no such user. */
    boolean setPassword(String name, String passwordHash);

    /** Deletes a user with their tokens and grants; false when there was none. */
    boolean deleteUser(String name);

    /** A user's tokens, oldest first. */
    List<TokenRecord> tokens(String user);

    /** The token with this hash, or empty. */
    Optional<TokenRecord> tokenByHash(String hash);

    /** Adds a token (its user must exist). */
    void createToken(TokenRecord token);

    /** Deletes the user's token {@code id}; false when the user has no such token. */
    boolean deleteToken(String user, String id);

    /** Every grant, by user, role and folder. */
    List<GrantRecord> grants();

    /** A user's grants. */
    List<GrantRecord> grants(String user);

    /** Adds a grant; false when it existed. */
    boolean grant(GrantRecord grant);

    /** Removes a grant; false when there was none. */
    boolean revoke(GrantRecord grant);

    /** Appends an audit entry. */
    void audit(AuditRecord entry);

    /**
     * Audit entries, newest first.
     *
     * @param actor only this actor's, or null for all
     * @param action only this action's, or null for all
     * @param offset entries to skip (0 or more)
     * @param limit the most to return (1 or more)
     */
    List<AuditRecord> audit(String actor, String action, int offset, int limit);

    /** Enables or disables a user; false when there is no such user. */
    boolean setDisabled(String name, boolean disabled);

    /** Notes that the token with this id authenticated a request at {@code when}. */
    void tokenUsed(String id, Instant when);

    /** Stores a new session. */
    void createSession(SessionRecord session);

    /** The session with this id hash, or empty. */
    Optional<SessionRecord> session(String idHash);

    /** Moves a session's last request to {@code lastSeen}. */
    void touchSession(String idHash, Instant lastSeen);

    /** Deletes one session; false when there was none. */
    boolean deleteSession(String idHash);

    /** Deletes every session of {@code user}; returns how many. */
    int deleteSessions(String user);

    /** Deletes the sessions last seen before {@code idleBefore} or created before {@code createdBefore}; returns how many. */
    int pruneSessions(Instant idleBefore, Instant createdBefore);
}
