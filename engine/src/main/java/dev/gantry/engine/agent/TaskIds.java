package dev.gantry.engine.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Task ids. Most tasks (file operations, transfers) get ids unique on a controller, also across
 * its restarts (a random prefix per start): an agent that still runs such a task from before a
 * restart can never mistake a new task for it. A process launched by a step call gets a
 * <em>deterministic</em> id instead, derived from the build, the step call's id and the launch's
 * number within the call: when the build resumes after a restart, the replayed call asks for the
 * same id and re-attaches to the task still running (or finished) on the agent.
 */
final class TaskIds {
    /** The prefix of deterministic ids; random ids are hexadecimal and never start with it. */
    private static final String STEP_PREFIX = "s-";

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

    /**
     * The id of the {@code launch}-th process (0-based) of step call {@code stepId} in build
     * {@code job} #{@code number}: the same for the same call on every run of the script. Hashed,
     * so that job names and step ids with any characters make a URL-safe id.
     */
    static String forStep(String job, int number, String stepId, int launch) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] h = d.digest((job + '\0' + number + '\0' + stepId + '\0' + launch).getBytes(StandardCharsets.UTF_8));
            return STEP_PREFIX + HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java runtime must provide", e);
        }
    }

    /** Whether {@code id} is a step call's deterministic id, which a resumed build may claim. */
    static boolean isStepTask(String id) {
        return id != null && id.startsWith(STEP_PREFIX);
    }
}
