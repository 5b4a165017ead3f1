package dev.gantry.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookDeliveryRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path home;

    @Test
    void aDeliveryIdSeenBeforeIsRecognisedAlsoAfterARestart() {
        try (Store store = Store.open(home)) {
            assertTrue(store.webhookDeliveries().firstSeen("72d3162e-cc78-11e3-81ab-4c9367dc0958", T0));
            assertFalse(store.webhookDeliveries().firstSeen("72d3162e-cc78-11e3-81ab-4c9367dc0958", T0.plusSeconds(5)));
            assertTrue(store.webhookDeliveries().firstSeen("another", T0));
        }
        try (Store store = Store.open(home)) {
            assertFalse(store.webhookDeliveries().firstSeen("72d3162e-cc78-11e3-81ab-4c9367dc0958", T0.plusSeconds(60)),
                    "a replay after the restart is still a replay");
        }
    }

    @Test
    void pruningForgetsOnlyTheDeliveriesReceivedBeforeTheCutOff() {
        try (Store store = Store.open(home)) {
            WebhookDeliveryRepository r = store.webhookDeliveries();
            r.firstSeen("old", T0);
            r.firstSeen("new", T0.plus(Duration.ofDays(8)));
            assertEquals(1, r.prune(T0.plus(Duration.ofDays(1))));
            assertTrue(r.firstSeen("old", T0.plus(Duration.ofDays(9))), "a pruned id counts as new");
            assertFalse(r.firstSeen("new", T0.plus(Duration.ofDays(9))));
        }
    }

    @Test
    void anIdLongerThanTheColumnIsKeptAsItsChecksum() {
        String longId = "x".repeat(500);
        try (Store store = Store.open(home)) {
            assertTrue(store.webhookDeliveries().firstSeen(longId, T0));
            assertFalse(store.webhookDeliveries().firstSeen(longId, T0));
            assertTrue(store.webhookDeliveries().firstSeen("x".repeat(499), T0));
        }
    }
}
