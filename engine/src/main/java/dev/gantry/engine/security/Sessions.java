package dev.gantry.engine.security;

import dev.gantry.engine.store.SecurityRepository;
import dev.gantry.engine.store.SecurityRepository.SessionRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Browser sessions, kept in the security repository so that they survive a controller restart:
 * only the SHA-256 of a session's id (the cookie) is stored, so a copy of the database signs
 * nobody in. A session ends after {@code idle} without a request, after {@code maxAge} in any
 * case, at logout, and when its user's password changes, the user is disabled or deleted.
 * Sessions in use are cached in memory; the time of the last request is written at most once a
 * minute (so after a restart a session may end up to a minute early), and expired rows are
 * pruned at start and every ten minutes while users sign in. Thread-safe.
 */
public final class Sessions {
    /** The most sessions cached in memory; the others stay in the repository and are read on their next request. */
    static final int MAX_SESSIONS = 10_000;
    private static final long TOUCH_EVERY_NANOS = Duration.ofMinutes(1).toNanos();
    private static final long PRUNE_EVERY_NANOS = Duration.ofMinutes(10).toNanos();

    /**
     * One signed-in browser. The id goes in the HttpOnly cookie; {@link #csrf()} must accompany
     * every state-changing request made with the cookie.
     */
    public static final class Session {
        private final String id;
        private final String hash;
        private final String user;
        private final String csrf;
        private final Instant created;
        private volatile Instant lastSeen;
        private volatile Instant written;

        Session(String id, String hash, String user, Instant created, Instant lastSeen) {
            this.id = id;
            this.hash = hash;
            this.user = user;
            this.csrf = csrfOf(id);
            this.created = created;
            this.lastSeen = lastSeen;
            this.written = lastSeen;
        }

        /** The cookie value. */
        public String id() {
            return id;
        }

        /** The user signed in. */
        public String user() {
            return user;
        }

        /** The CSRF token of this session (derived from its id: the same after a restart, never stored). */
        public String csrf() {
            return csrf;
        }

        /** Whether {@code given} is this session's CSRF token (compared in constant time); false for null. */
        public boolean csrfMatches(String given) {
            return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "session of " + user; // never the id
        }
    }

    private final Map<String, Session> cache = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final SecurityRepository repository;
    private final Duration idle;
    private final Duration maxAge;
    private final LongSupplier nanos;
    private final Instant wallBase;
    private final long nanosBase;
    private volatile long lastPrune;

    /**
     * @param nanos a monotonic clock; wall times (stored with the sessions) are reckoned from it and
     *     the wall clock at construction, so tests can move time with it
     */
    Sessions(SecurityRepository repository, Duration idle, Duration maxAge, LongSupplier nanos) {
        this.repository = repository;
        this.idle = idle;
        this.maxAge = maxAge;
        this.nanos = nanos;
        this.nanosBase = nanos.getAsLong();
        this.wallBase = Instant.now();
        this.lastPrune = nanosBase;
        prune(now());
    }

    private Instant now() {
        return wallBase.plusNanos(nanos.getAsLong() - nanosBase);
    }

    /** Starts a session for {@code user} and stores it. */
    Session start(String user) {
        long tick = nanos.getAsLong();
        Instant now = now();
        if (tick - lastPrune > PRUNE_EVERY_NANOS) {
            lastPrune = tick;
            prune(now);
        }
        String id = randomId();
        Session s = new Session(id, hash(id), user, now, now);
        synchronized (this) {
            repository.createSession(new SessionRecord(s.hash, user, now, now));
            cache(s);
        }
        return s;
    }

    /** The live session with this id (its idle clock restarted), or null. */
    Session find(String id) {
        if (id == null || id.isEmpty() || id.length() > 200) {
            return null;
        }
        String hash = hash(id);
        Session s = cache.get(hash);
        if (s == null) {
            s = load(id, hash);
            if (s == null) {
                return null;
            }
        }
        Instant now = now();
        if (expired(s, now)) {
            cache.remove(hash, s);
            repository.deleteSession(hash);
            return null;
        }
        s.lastSeen = now;
        if (Duration.between(s.written, now).toNanos() > TOUCH_EVERY_NANOS) {
            s.written = now;
            repository.touchSession(hash, now);
        }
        return s;
    }

    /**
     * Reads a session missing from the cache and caches it. Locked with the endings, so that a
     * session read just before its user's sessions end is not cached after they ended.
     */
    private synchronized Session load(String id, String hash) {
        Session cached = cache.get(hash);
        if (cached != null) {
            return cached;
        }
        Optional<SessionRecord> stored = repository.session(hash);
        if (stored.isEmpty()) {
            return null;
        }
        Session s = new Session(id, hash, stored.get().user(), stored.get().created(), stored.get().lastSeen());
        cache(s);
        return s;
    }

    /** Ends the session; nothing when it ended already. */
    synchronized void end(String id) {
        if (id != null) {
            String hash = hash(id);
            cache.remove(hash);
            repository.deleteSession(hash);
        }
    }

    /** Ends every session of {@code user} (logged out everywhere, password changed, disabled, deleted). */
    synchronized void endAll(String user) {
        cache.values().removeIf(s -> s.user.equals(user));
        repository.deleteSessions(user);
    }

    private boolean expired(Session s, Instant now) {
        return s.lastSeen.plus(idle).isBefore(now) || s.created.plus(maxAge).isBefore(now);
    }

    private void prune(Instant now) {
        try {
            repository.pruneSessions(now.minus(idle), now.minus(maxAge));
        } catch (RuntimeException e) {
            // Expired rows only take room; the next sign-in tries again.
            System.getLogger(Sessions.class.getName()).log(System.Logger.Level.WARNING, "cannot prune expired sessions: " + e.getMessage());
        }
        cache.values().removeIf(s -> expired(s, now));
    }

    private void cache(Session s) {
        if (cache.size() >= MAX_SESSIONS) {
            // Dropped from memory only: it stays stored and is read again on its next request.
            cache.values().stream().min(Comparator.comparing(x -> x.lastSeen)).ifPresent(o -> cache.remove(o.hash));
        }
        cache.put(s.hash, s);
    }

    private String randomId() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String id) {
        return Passwords.sha256(id);
    }

    private static String csrfOf(String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("gantry-csrf\0" + id).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
