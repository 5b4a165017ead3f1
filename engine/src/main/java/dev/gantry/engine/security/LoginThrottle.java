package dev.gantry.engine.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows password guessing: after {@code perUser} failed logins for one user name, or
 * {@code perAddress} from one address, further attempts for it are refused without checking the
 * password for a lock time that doubles with every further failure (from 30 s up to 15 min).
 * Failures are forgotten 15 minutes after the last one; a successful login clears its user's
 * count. Thread-safe.
 */
final class LoginThrottle {
    static final long BASE_LOCK_NANOS = 30_000_000_000L;
    static final long MAX_LOCK_NANOS = 15 * 60_000_000_000L;
    static final long FORGET_NANOS = 15 * 60_000_000_000L;
    private static final int MAX_KEYS = 100_000;

    private record Failures(int count, long last) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final int perUser;
    private final int perAddress;
    private final LongSupplier nanos;

    LoginThrottle(int perUser, int perAddress, LongSupplier nanos) {
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.nanos = nanos;
    }

    /** Seconds until {@code user} from {@code address} may try again; 0 when it may now. */
    long retryAfterSeconds(String user, String address) {
        long now = nanos.getAsLong();
        long wait = Math.max(wait("u:" + user, perUser, now), wait("a:" + address, perAddress, now));
        return wait <= 0 ? 0 : Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
    }

    void failed(String user, String address) {
        long now = nanos.getAsLong();
        if (failures.size() > MAX_KEYS) {
            failures.values().removeIf(f -> now - f.last > FORGET_NANOS);
        }
        for (String key : new String[] {"u:" + user, "a:" + address}) {
            failures.compute(key, (k, f) -> f == null || now - f.last > FORGET_NANOS ? new Failures(1, now) : new Failures(f.count + 1, now));
        }
    }

    void succeeded(String user) {
        failures.remove("u:" + user);
    }

    private long wait(String key, int limit, long now) {
        Failures f = failures.get(key);
        if (f == null || f.count < limit) {
            return 0;
        }
        int doublings = Math.min(f.count - limit, 10);
        long lock = Math.min(MAX_LOCK_NANOS, BASE_LOCK_NANOS << doublings);
        return f.last + lock - now;
    }
}
