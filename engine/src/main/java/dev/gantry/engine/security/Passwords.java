package dev.gantry.engine.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Password hashing with bcrypt (version 2b; passwords over bcrypt's 72 bytes are pre-hashed with
 * SHA-512 rather than cut). A check costs tens of milliseconds on purpose; since HTTP Basic sends
 * the password with every request, a successful check is remembered for five minutes under a
 * keyed digest of user, password and stored hash (so a changed password is never matched by it).
 */
final class Passwords {
    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 1024;
    private static final long REMEMBER_NANOS = 5 * 60_000_000_000L;
    private static final int MAX_REMEMBERED = 10_000;
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;

    private final int cost;
    private final LongSupplier nanos;
    private final byte[] key = new byte[32];
    private final Map<String, Long> verified = new ConcurrentHashMap<>();
    private volatile String decoy;

    Passwords(int cost, LongSupplier nanos) {
        this.cost = cost;
        this.nanos = nanos;
        new SecureRandom().nextBytes(key);
    }

    /**
     * Spends the time of one check for a user who does not exist, so that the answer's timing
     * does not tell which user names do.
     */
    void decoyCheck(String password) {
        String d = decoy;
        if (d == null) {
            d = hash("decoy-" + System.nanoTime());
            decoy = d;
        }
        BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION)).verify(password.toCharArray(), d);
    }

    String hash(String password) {
        return BCrypt.with(VERSION, new SecureRandom(), LongPasswordStrategies.hashSha512(VERSION))
                .hashToString(cost, password.toCharArray());
    }

    boolean verify(String user, String password, String hash) {
        if (hash == null || password == null || password.length() > MAX_LENGTH) {
            return false;
        }
        String memo = memo(user, password, hash);
        Long until = verified.get(memo);
        long now = nanos.getAsLong();
        if (until != null && until - now > 0) {
            return true;
        }
        boolean ok = BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION)).verify(password.toCharArray(), hash).verified;
        if (ok) {
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
            verified.put(memo, now + REMEMBER_NANOS);
        }
        return ok;
    }

    /** Why {@code password} is not acceptable as a new password, or null. */
    static String weakness(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "a password needs at least " + MIN_LENGTH + " characters";
        }
        if (password.length() > MAX_LENGTH) {
            return "a password has at most " + MAX_LENGTH + " characters";
        }
        return null;
    }

    private String memo(String user, String password, String hash) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(key);
            for (String s : new String[] {user, password, hash}) {
                d.update(s.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
