package dev.gantry.engine.store;

import java.time.Instant;

/**
 * The ids of webhook deliveries the controller has acted on, so that a delivery the forge repeats
 * (a retry, a replay) does nothing, also after a restart. Thread-safe.
 */
public interface WebhookDeliveryRepository {

    /**
     * Records {@code delivery} as received at {@code when}, unless it was recorded before.
     *
     * @param delivery the forge's delivery id, not null; ids longer than 200 characters are kept as their SHA-256
     * @return true when the id is new (the caller acts on it), false when it was seen before
     * @throws StoreException when the database fails
     */
    boolean firstSeen(String delivery, Instant when);

    /**
     * Forgets the deliveries received before {@code before}.
     *
     * @return how many were forgotten
     * @throws StoreException when the database fails
     */
    int prune(Instant before);
}
