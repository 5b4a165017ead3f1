package dev.gantry.engine.security;

import dev.gantry.engine.store.SecurityRepository;
import dev.gantry.engine.store.SecurityRepository.AuditRecord;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The audit log: who did what to what, and when. The security layer writes logins, token and user
 * changes, and every successful configuration change through the REST API; other code (builds
 * using credentials, script approvals) calls {@link #record(String, String, String, String)}.
 * Each entry also goes to the server log. Thread-safe.
 */
public final class Audit {
    private static final System.Logger LOG = System.getLogger(Audit.class.getName());
    private final SecurityRepository repository;
    private final Clock clock;

    Audit(SecurityRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /**
     * Appends an entry. Never throws for a failed write (the action it records happened already):
     * the failure goes to the server log with the entry.
     *
     * @param actor the user name, {@code agent:<name>}, {@code system}, or {@code anonymous}; not null
     * @param action a dotted verb: {@code login}, {@code token.create}, {@code credential.use}; not null
     * @param target what it was done to (a job, a user, a plugin id); null for nothing
     * @param detail free text (never a secret); null for none
     */
    public void record(String actor, String action, String target, String detail) {
        record(actor, action, target, detail, "");
    }

    void record(String actor, String action, String target, String detail, String address) {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        AuditRecord entry = new AuditRecord(0, clock.instant(), actor, action, target == null ? "" : target,
                detail == null ? "" : detail, address == null ? "" : address);
        LOG.log(System.Logger.Level.INFO, "audit: " + actor + " " + action + (target == null ? "" : " " + target)
                + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")") + (address == null || address.isEmpty() ? "" : " from " + address));
        try {
            repository.audit(entry);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot write the audit entry " + entry + ": " + e.getMessage(), e);
        }
    }

    /**
     * Entries, newest first.
     *
     * @param actor only this actor's, or null
     * @param action only this action's, or null
     * @param offset 0 or more
     * @param limit 1 to 1000
     */
    public List<AuditRecord> entries(String actor, String action, int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("offset must be 0 or more and limit between 1 and 1000, got " + offset + " and " + limit);
        }
        return repository.audit(actor, action, offset, limit);
    }
}
