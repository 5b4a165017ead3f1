package dev.gantry.plugins.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void theBackoffDoublesUpToItsBound() {
        RetryPolicy p = new RetryPolicy(6, 1000, 5000);
        assertEquals(1000, p.backoff(1));
        assertEquals(2000, p.backoff(2));
        assertEquals(4000, p.backoff(3));
        assertEquals(5000, p.backoff(4));
        assertEquals(5000, p.backoff(6));
    }

    @Test
    void theEnvironmentSetsRetriesAndBackoff() {
        RetryPolicy p = RetryPolicy.from(Map.of("GANTRY_NOTIFY_RETRIES", "2", "GANTRY_NOTIFY_BACKOFF_MS", "50"));
        assertEquals(2, p.retries());
        assertEquals(50, p.backoff(1));
        assertEquals(3, RetryPolicy.from(Map.of()).retries());
    }

    @Test
    void retriesAreBounded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RetryPolicy.from(Map.of("GANTRY_NOTIFY_RETRIES", "50")));
        assertEquals("GANTRY_NOTIFY_RETRIES must be a whole number from 0 to 10, not '50'", e.getMessage());
    }
}
