package dev.gantry.engine.security;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Browser sessions, in memory: a session ends after {@code idle} without a request, after
 * {@code maxAge} in any case, at logout, and when the controller restarts (users sign in again).
 * Thread-safe.
 */
public final class Sessions {
    static final int MAX_SESSIONS = 10_000;

    /**
     * One signed-in browser. The id goes in the HttpOnly cookie; {@link #csrf()} must accompany
     * every state-changing request made with the cookie.
     */
    public static final class Session {
        private final String id;
        private final String user;
        private final String csrf;
        private final long created;
        private volatile long lastSeen;

        Session(String id, String user, String csrf, long now) {
            this.id = id;
            this.user = user;
            this.csrf = csrf;
            this.created = now;
            this.lastSeen = now;
        }

        /** The cookie value. */
        public String id() {
            return id;
        }

        /** The user signed in. */
        public String user() {
            return user;
        }

        /** The CSRF token of this session. */
        public String csrf() {
            return csrf;
        }

        /** Whether {@code given} is this session's CSRF token (compared in constant time); false for null. */
        public boolean csrfMatches(String given) {
            return given != null && java.security.MessageDigest.isEqual(given.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    csrf.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "session of " + user; // never the id
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final long idleNanos;
    private final long maxAgeNanos;
    private final LongSupplier nanos;

    Sessions(Duration idle, Duration maxAge, LongSupplier nanos) {
        this.idleNanos = idle.toNanos();
        this.maxAgeNanos = maxAge.toNanos();
        this.nanos = nanos;
    }

    /** Starts a session for {@code user}. */
    Session start(String user) {
        long now = nanos.getAsLong();
        if (sessions.size() >= MAX_SESSIONS) {
            sweep(now);
        }
        Session s = new Session(random(), user, random(), now);
        sessions.put(s.id, s);
        return s;
    }

    /** The live session with this id (its idle clock restarted), or null. */
    Session find(String id) {
        if (id == null) {
            return null;
        }
        Session s = sessions.get(id);
        if (s == null) {
            return null;
        }
        long now = nanos.getAsLong();
        if (expired(s, now)) {
            sessions.remove(id, s);
            return null;
        }
        s.lastSeen = now;
        return s;
    }

    /** Ends the session; nothing when it ended already. */
    void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Ends every session of {@code user} (deleted, or password changed). */
    void endAll(String user) {
        sessions.values().removeIf(s -> s.user.equals(user));
    }

    private boolean expired(Session s, long now) {
        return now - s.lastSeen > idleNanos || now - s.created > maxAgeNanos;
    }

    private void sweep(long now) {
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            if (expired(it.next(), now)) {
                it.remove();
            }
        }
        if (sessions.size() >= MAX_SESSIONS) {
            // Still full of live sessions: drop the oldest rather than refuse the login.
            sessions.values().stream().min(java.util.Comparator.comparingLong(x -> x.lastSeen)).ifPresent(o -> sessions.remove(o.id));
        }
    }

    private String random() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
