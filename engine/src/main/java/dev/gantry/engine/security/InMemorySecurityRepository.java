package dev.gantry.engine.security;

import dev.gantry.engine.store.SecurityRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link SecurityRepository} in memory, for a controller without a store (tests of the web layer
 * over an in-memory controller, embedding). Synchronized: simple, and never on a hot path.
 */
final class InMemorySecurityRepository implements SecurityRepository {
    private final TreeMap<String, UserRecord> users = new TreeMap<>();
    private final List<TokenRecord> tokens = new ArrayList<>();
    private final List<GrantRecord> grants = new ArrayList<>();
    private final List<AuditRecord> audit = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final java.util.Map<String, SessionRecord> sessions = new java.util.HashMap<>();

    @Override
    public synchronized List<UserRecord> users() {
        return List.copyOf(users.values());
    }

    @Override
    public synchronized Optional<UserRecord> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    @Override
    public synchronized boolean createUser(UserRecord user) {
        return users.putIfAbsent(user.name(), user) == null;
    }

    @Override
    public synchronized boolean setPassword(String name, String passwordHash) {
        UserRecord u = users.get(name);
        if (u == null) {
            return false;
        }
        users.put(name, new UserRecord(name, passwordHash, u.created(), u.disabled()));
        return true;
    }

    @Override
    public synchronized boolean deleteUser(String name) {
        tokens.removeIf(t -> t.user().equals(name));
        grants.removeIf(g -> g.user().equals(name));
        return users.remove(name) != null;
    }

    @Override
    public synchronized List<TokenRecord> tokens(String user) {
        return tokens.stream().filter(t -> t.user().equals(user)).toList();
    }

    @Override
    public synchronized Optional<TokenRecord> tokenByHash(String hash) {
        return tokens.stream().filter(t -> t.hash().equals(hash)).findFirst();
    }

    @Override
    public synchronized void createToken(TokenRecord token) {
        if (!users.containsKey(token.user())) {
            throw new IllegalStateException("no user '" + token.user() + "'");
        }
        tokens.add(token);
    }

    @Override
    public synchronized boolean deleteToken(String user, String id) {
        return tokens.removeIf(t -> t.user().equals(user) && t.id().equals(id));
    }

    @Override
    public synchronized List<GrantRecord> grants() {
        return grants.stream().sorted(Comparator.comparing(GrantRecord::user).thenComparing(GrantRecord::folder)
                .thenComparing(GrantRecord::role)).toList();
    }

    @Override
    public synchronized List<GrantRecord> grants(String user) {
        return grants.stream().filter(g -> g.user().equals(user)).toList();
    }

    @Override
    public synchronized boolean grant(GrantRecord grant) {
        if (grants.contains(grant)) {
            return false;
        }
        return grants.add(grant);
    }

    @Override
    public synchronized boolean revoke(GrantRecord grant) {
        return grants.remove(grant);
    }

    @Override
    public synchronized void audit(AuditRecord e) {
        audit.add(new AuditRecord(ids.incrementAndGet(), e.at(), e.actor(), e.action(), e.target(), e.detail(), e.address()));
    }

    @Override
    public synchronized List<AuditRecord> audit(String actor, String action, int offset, int limit) {
        return audit.reversed().stream().filter(e -> actor == null || e.actor().equals(actor))
                .filter(e -> action == null || e.action().equals(action)).skip(offset).limit(limit).toList();
    }

    @Override
    public synchronized boolean setDisabled(String name, boolean disabled) {
        UserRecord u = users.get(name);
        if (u == null) {
            return false;
        }
        users.put(name, new UserRecord(name, u.passwordHash(), u.created(), disabled));
        return true;
    }

    @Override
    public synchronized void tokenUsed(String id, java.time.Instant when) {
        tokens.replaceAll(t -> t.id().equals(id) ? new TokenRecord(t.id(), t.user(), t.name(), t.hash(), t.created(), when) : t);
    }

    @Override
    public synchronized void createSession(SessionRecord session) {
        sessions.put(session.idHash(), session);
    }

    @Override
    public synchronized Optional<SessionRecord> session(String idHash) {
        return Optional.ofNullable(sessions.get(idHash));
    }

    @Override
    public synchronized void touchSession(String idHash, java.time.Instant lastSeen) {
        sessions.computeIfPresent(idHash, (k, s) -> new SessionRecord(s.idHash(), s.user(), s.created(), lastSeen));
    }

    @Override
    public synchronized boolean deleteSession(String idHash) {
        return sessions.remove(idHash) != null;
    }

    @Override
    public synchronized int deleteSessions(String user) {
        int before = sessions.size();
        sessions.values().removeIf(s -> s.user().equals(user));
        return before - sessions.size();
    }

    @Override
    public synchronized int pruneSessions(java.time.Instant idleBefore, java.time.Instant createdBefore) {
        int before = sessions.size();
        sessions.values().removeIf(s -> s.lastSeen().isBefore(idleBefore) || s.created().isBefore(createdBefore));
        return before - sessions.size();
    }
}
