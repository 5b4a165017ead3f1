package dev.gantry.engine.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;

/** Webhook delivery ids in the {@code webhook_deliveries} table. */
final class H2WebhookDeliveryRepository implements WebhookDeliveryRepository {
    private static final int MAX_ID = 200;
    private final Transactions tx;

    H2WebhookDeliveryRepository(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public boolean firstSeen(String delivery, Instant when) {
        String id = key(delivery);
        return tx.run("recording webhook delivery " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (delivery, received) VALUES (?, ?)")) {
                ps.setString(1, id);
                ps.setObject(2, Transactions.timestamp(when));
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (Transactions.DUPLICATE_KEY.equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public int prune(Instant before) {
        return tx.run("pruning webhook deliveries", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM webhook_deliveries WHERE received < ?")) {
                ps.setObject(1, Transactions.timestamp(before));
                return ps.executeUpdate();
            }
        });
    }

    /** The id as stored: itself, or its SHA-256 when too long for the column (a forge's ids are UUIDs). */
    static String key(String delivery) {
        if (delivery.length() <= MAX_ID) {
            return delivery;
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(delivery.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java runtime must provide", e);
        }
    }
}
