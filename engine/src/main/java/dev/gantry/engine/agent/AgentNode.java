package dev.gantry.engine.agent;

import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node builds can be placed on, as the scheduler sees it: its labels, executors, which are
 * busy and which workspace directories are in use. Guarded by the {@link AgentService}'s lock
 * for every mutable field except the ones marked volatile.
 */
abstract class AgentNode {
    final String name;
    private final BitSet executorsBusy = new BitSet();
    private final Set<String> rootsInUse = new HashSet<>();

    AgentNode(String name) {
        this.name = name;
    }

    /** The labels it matches, its own name included. */
    abstract Set<String> labels();

    abstract int executors();

    abstract boolean online();

    abstract AgentChannel channel();

    /** The work directory on the node, absolute, as the node spells it. */
    abstract String workdir();

    abstract boolean isUnix();

    /** The node's own environment variables, under the build's. */
    abstract Map<String, String> environment();

    int busy() {
        return executorsBusy.cardinality();
    }

    boolean hasFreeExecutor() {
        return busy() < executors();
    }

    /** Takes an executor and a workspace root; {@code root} gets {@code @2}, {@code @3} ... while taken. */
    Slot take(String root, boolean custom) {
        int executor = executorsBusy.nextClearBit(0);
        executorsBusy.set(executor);
        String chosen = root;
        if (!custom) {
            for (int i = 2; rootsInUse.contains(chosen); i++) {
                chosen = root + "@" + i;
            }
        }
        rootsInUse.add(chosen);
        return new Slot(executor, chosen);
    }

    /**
     * Takes an executor (even past the node's count: a resumed build's task may still run there)
     * and exactly the workspace root {@code root}; null when another lease holds that root now.
     */
    Slot takeExact(String root) {
        if (rootsInUse.contains(root)) {
            return null;
        }
        int executor = executorsBusy.nextClearBit(0);
        executorsBusy.set(executor);
        rootsInUse.add(root);
        return new Slot(executor, root);
    }

    void release(Slot slot) {
        executorsBusy.clear(slot.executor());
        rootsInUse.remove(slot.root());
    }

    /** An executor number and the workspace root taken with it. */
    record Slot(int executor, String root) {
    }

    /** The absolute path of {@code root} on the node. */
    String absolute(String root) {
        if (root.startsWith("/") || root.length() > 1 && root.charAt(1) == ':') {
            return root;
        }
        String sep = isUnix() ? "/" : "\\";
        return workdir() + sep + (isUnix() ? root : root.replace('/', '\\'));
    }

    static Map<String, String> base(AgentNode node, int executor, String workspace) {
        Map<String, String> env = new LinkedHashMap<>(node.environment());
        env.put("WORKSPACE", workspace);
        env.put("NODE_NAME", node.name);
        env.put("NODE_LABELS", String.join(" ", List.copyOf(new java.util.TreeSet<>(node.labels()))));
        env.put("EXECUTOR_NUMBER", String.valueOf(executor));
        return env;
    }
}
