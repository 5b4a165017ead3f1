package dev.gantry.engine.agent;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Task ids unique on a controller, also across its restarts (a random prefix per start): an
 * agent that still runs a task from before a restart can never mistake a new task for it.
 */
final class TaskIds {
    private final String prefix;
    private final AtomicLong next = new AtomicLong();

    TaskIds() {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        this.prefix = HexFormat.of().formatHex(b);
    }

    String next() {
        return prefix + "-" + next.incrementAndGet();
    }
}
