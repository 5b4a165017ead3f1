package dev.gantry.engine.store;

import java.time.Instant;
import java.util.List;

/**
 * A registered agent as stored: its name, the labels and executors it was created with, and the
 * SHA-256 (hex) of its secret. The secret itself is never stored.
 */
public record AgentRecord(String name, List<String> labels, int executors, String secretHash, Instant created) {
    public AgentRecord {
        labels = List.copyOf(labels);
    }
}
