package dev.gantry.plugins.notify;

import java.util.Map;

/**
 * How often and how patiently a delivery is tried again: {@code retries} more attempts after the
 * first, waiting {@code initialBackoffMillis}, then twice as long each time, at most
 * {@code maxBackoffMillis}. Read from {@code GANTRY_NOTIFY_RETRIES} and
 * {@code GANTRY_NOTIFY_BACKOFF_MS} (the step's environment first, then the system properties
 * {@code gantry.notify.retries} and {@code gantry.notify.backoffMillis}, then the process
 * environment).
 */
record RetryPolicy(int retries, long initialBackoffMillis, long maxBackoffMillis) {
    static final int MAX_RETRIES = 10;
    static final RetryPolicy NONE = new RetryPolicy(0, 0, 0);
    static final RetryPolicy DEFAULT = new RetryPolicy(3, 1000, 30_000);

    RetryPolicy {
        if (retries < 0 || retries > MAX_RETRIES) {
            throw new IllegalArgumentException("retries must be between 0 and " + MAX_RETRIES + ", not " + retries);
        }
        if (initialBackoffMillis < 0 || maxBackoffMillis < 0) {
            throw new IllegalArgumentException("a backoff cannot be negative");
        }
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    long backoff(int retry) {
        long d = initialBackoffMillis;
        for (int i = 1; i < retry && d < maxBackoffMillis; i++) {
            d *= 2;
        }
        return Math.min(d, Math.max(maxBackoffMillis, initialBackoffMillis));
    }

    /**
     * The policy the environment asks for.
     *
     * @param environment the step's environment (may be empty)
     * @throws IllegalArgumentException naming the variable when a value is not a whole number in range
     */
    static RetryPolicy from(Map<String, String> environment) {
        int retries = (int) number(Config.lookup(environment, "GANTRY_NOTIFY_RETRIES", "gantry.notify.retries"),
                "GANTRY_NOTIFY_RETRIES", DEFAULT.retries, MAX_RETRIES);
        long backoff = number(Config.lookup(environment, "GANTRY_NOTIFY_BACKOFF_MS", "gantry.notify.backoffMillis"),
                "GANTRY_NOTIFY_BACKOFF_MS", DEFAULT.initialBackoffMillis, 600_000);
        return new RetryPolicy(retries, backoff, Math.max(backoff, DEFAULT.maxBackoffMillis));
    }

    private static long number(String value, String name, long dflt, long max) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from 0 to " + max + ", not '" + value + "'");
    }
}
