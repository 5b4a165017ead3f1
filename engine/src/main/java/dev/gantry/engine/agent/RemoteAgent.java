package dev.gantry.engine.agent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A registered agent on the controller: what it was registered with, what it said in its
 * handshake, its session and lease, and the tasks handed to it. Tasks wait here until the agent's
 * long poll fetches them; a poll names the tasks the agent has, so a poll answer lost on the
 * network hands the same tasks out again instead of losing them. Thread-safe: protocol state is
 * guarded by this object's monitor.
 */
final class RemoteAgent extends AgentNode implements AgentChannel {
    private final Set<String> configuredLabels;
    private final int configuredExecutors;
    final String secretHash;

    private volatile boolean online;
    private volatile String session;
    private volatile String instance;
    private volatile long lastSeenNanos;
    private volatile long lastHeartbeatMillis;
    private volatile Map<String, Object> facts = Map.of();
    private volatile Set<String> labels;
    private volatile int executors;
    private volatile String workdir = "";
    private volatile boolean unix = true;
    private volatile Map<String, String> environment = Map.of();

    private final Map<String, TaskCall> calls = new LinkedHashMap<>();
    private final List<Poller> pollers = new ArrayList<>();
    /** True while the controller's re-attach grace runs: tasks of step calls it does not know yet are not cancelled. */
    private final java.util.function.BooleanSupplier grace;

    /**
     * A parked long poll, or an events call waiting for the next task ({@code next}): the tasks
     * its agent has, and where the answer goes.
     */
    private record Poller(Set<String> known, boolean next, Consumer<Map<String, Object>> answer) {
    }

    RemoteAgent(String name, Collection<String> labels, int executors, String secretHash) {
        this(name, labels, executors, secretHash, () -> false);
    }

    /**
     * @param grace true while tasks of step calls the controller does not know (from before its
     *     restart) must be left running, for resumed builds to claim
     */
    RemoteAgent(String name, Collection<String> labels, int executors, String secretHash, java.util.function.BooleanSupplier grace) {
        super(name);
        this.grace = grace;
        this.configuredLabels = Set.copyOf(labels);
        this.configuredExecutors = executors;
        this.secretHash = secretHash;
        this.labels = withName(configuredLabels);
        this.executors = executors;
    }

    private Set<String> withName(Collection<String> l) {
        Set<String> all = new TreeSet<>(l);
        all.add(name);
        return Set.copyOf(all);
    }

    Set<String> configuredLabels() {
        return configuredLabels;
    }

    @Override
    Set<String> labels() {
        return labels;
    }

    @Override
    int executors() {
        return executors;
    }

    @Override
    boolean online() {
        return online;
    }

    @Override
    AgentChannel channel() {
        return this;
    }

    @Override
    String workdir() {
        return workdir;
    }

    @Override
    boolean isUnix() {
        return unix;
    }

    @Override
    Map<String, String> environment() {
        return environment;
    }

    String session() {
        return session;
    }

    String instance() {
        return instance;
    }

    Map<String, Object> facts() {
        return facts;
    }

    long lastHeartbeatMillis() {
        return lastHeartbeatMillis;
    }

    /** Whether the lease ran out: no call for longer than {@code leaseNanos}. */
    boolean expired(long nowNanos, long leaseNanos) {
        return online && nowNanos - lastSeenNanos > leaseNanos;
    }

    void seen() {
        lastSeenNanos = System.nanoTime();
        lastHeartbeatMillis = System.currentTimeMillis();
    }

    /** Starts a session from a handshake: what the agent says about itself. */
    @SuppressWarnings("unchecked")
    synchronized void connect(String newSession, String newInstance, Map<String, Object> hello) {
        this.session = newSession;
        this.instance = newInstance;
        Set<String> l = new LinkedHashSet<>(configuredLabels);
        if (hello.get("labels") instanceof List<?> announced) {
            announced.forEach(x -> l.add(String.valueOf(x)));
        }
        this.labels = withName(l);
        this.executors = hello.get("executors") instanceof Number n && n.intValue() > 0 ? n.intValue() : configuredExecutors;
        this.workdir = String.valueOf(hello.getOrDefault("workdir", ""));
        this.unix = !String.valueOf(hello.getOrDefault("os", "")).toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        this.environment = hello.get("environment") instanceof Map<?, ?> env ? Map.copyOf((Map<String, String>) env) : Map.of();
        Map<String, Object> f = new LinkedHashMap<>();
        for (String k : List.of("version", "os", "arch", "freeDiskBytes")) {
            f.put(k, hello.get(k));
        }
        this.facts = f;
        seen();
        this.online = true;
    }

    void freeDisk(Object bytes) {
        if (bytes instanceof Number) {
            Map<String, Object> f = new LinkedHashMap<>(facts);
            f.put("freeDiskBytes", bytes);
            facts = f;
        }
    }

    /**
     * Ends the session: the lease expired, the agent was deleted, or another session replaced it.
     * Every task still running fails with "agent NAME went offline during this step".
     */
    void disconnect() {
        List<TaskCall> lost;
        List<Poller> waiting;
        synchronized (this) {
            online = false;
            session = null;
            lost = new ArrayList<>(calls.values());
            calls.clear();
            waiting = new ArrayList<>(pollers);
            pollers.clear();
        }
        for (TaskCall c : lost) {
            c.fail(TaskCall.nodeLost(name));
        }
        for (Poller p : waiting) {
            p.answer().accept(null);
        }
    }

    @Override
    public void submit(TaskCall call) {
        synchronized (this) {
            if (!online) {
                throw TaskCall.nodeLost(name);
            }
            call.channel(this);
            calls.put(call.id(), call);
        }
        wakePoller();
    }

    @Override
    public void cancel(TaskCall call) {
        wakePoller();
    }

    /** Answers a parked poll when there is work for it now. */
    private void wakePoller() {
        Poller waiting = null;
        Map<String, Object> answer = null;
        synchronized (this) {
            // In order: an events call waiting for the next task comes before the long poll. Each
            // parked call names the tasks its agent had when it was sent, so one may have work
            // where another has none.
            for (java.util.Iterator<Poller> it = pollers.iterator(); it.hasNext(); ) {
                Poller p = it.next();
                answer = work(p.known(), p.next());
                if (answer != null) {
                    it.remove();
                    waiting = p;
                    break;
                }
            }
        }
        if (waiting != null) {
            waiting.answer().accept(answer);
        }
    }

    /** The current, unfinished task {@code id} of this agent, or null. */
    synchronized TaskCall call(String id) {
        TaskCall c = calls.get(id);
        return c == null || c.done() ? null : c;
    }

    /** The retained task {@code id} whose result arrived already, or null. */
    synchronized TaskCall kept(String id) {
        TaskCall c = calls.get(id);
        return c != null && c.done() && c.retained() ? c : null;
    }

    /**
     * A task's result arrived: forgets it, unless it is retained (the agent keeps it until
     * {@link #release}).
     */
    synchronized void finished(TaskCall call) {
        if (!call.retained()) {
            calls.remove(call.id(), call);
        }
    }

    /**
     * The step call that launched a retained task is journaled: the agent may forget the task.
     * It is told by its next poll answer or heartbeat, not at once: a parked poll is not woken for
     * it, which would cost a round trip per step.
     */
    synchronized void release(TaskCall call) {
        calls.remove(call.id(), call);
    }

    /** Whether {@code id} is unknown now but may be claimed by a resumed build soon: answer "not yet" rather than "stop it". */
    boolean claimable(String id) {
        return grace.getAsBoolean() && TaskIds.isStepTask(id);
    }

    /** How many calls are parked waiting for work (tests). */
    synchronized int parked() {
        return pollers.size();
    }

    /** Answers a parked poll if there is work for it now (the re-attach grace ended, say). */
    void wake() {
        wakePoller();
    }

    /**
     * A long poll: answers at once when there is work for an agent that has the tasks
     * {@code known}, else parks {@code answer} until there is (null: the session ended).
     *
     * @return a handle that withdraws the parked poll (on its time-out); returns whether it was still parked
     */
    java.util.function.BooleanSupplier poll(Set<String> known, Consumer<Map<String, Object>> answer) {
        return poll(known, false, answer);
    }

    /**
     * A long poll, or with {@code first} an {@code events} call that waits for its agent's next
     * task (protocol 3): it is answered before parked long polls, so the task that follows a
     * result travels in the answer to that result, one round trip per step.
     *
     * @return a handle that withdraws the parked call (on its time-out); returns whether it was still parked
     */
    java.util.function.BooleanSupplier poll(Set<String> known, boolean first, Consumer<Map<String, Object>> answer) {
        Map<String, Object> now;
        synchronized (this) {
            now = work(known, first);
            if (now == null) {
                Poller p = new Poller(Set.copyOf(known), first, answer);
                if (first) {
                    pollers.addFirst(p);
                } else {
                    pollers.add(p);
                }
                return () -> {
                    synchronized (RemoteAgent.this) {
                        return pollers.remove(p);
                    }
                };
            }
        }
        answer.accept(now);
        return () -> false;
    }

    /**
     * What an agent that has the tasks {@code known} must do: the tasks it lacks, the tasks it
     * must stop or forget (cancelled ones, and ones the controller no longer has, as after a
     * restart once the re-attach grace is over), and the tasks it must report again from their
     * first chunk (ones it had before this controller started, which a resumed build claimed).
     * Null when there is nothing.
     */
    synchronized Map<String, Object> work(Set<String> known) {
        return work(known, false);
    }

    /**
     * As {@link #work(Set)}; with {@code forgetLater}, tasks to forget alone (ended ones the
     * controller no longer has) are no reason to answer: null then, as for no work. An events
     * call waiting for the next task is not answered early for them (that task would go to the
     * long poll instead, a round trip more); they travel with the next answer.
     */
    synchronized Map<String, Object> work(Set<String> known, boolean forgetLater) {
        List<Object> tasks = new ArrayList<>();
        List<String> cancel = new ArrayList<>();
        List<String> reattach = new ArrayList<>();
        List<TaskCall> gone = null;
        long now = System.nanoTime();
        for (TaskCall c : calls.values()) {
            if (c.done()) {
                continue;
            }
            if (!known.contains(c.id())) {
                if (c.cancelRequested()) {
                    if (c.wasDelivered()) {
                        // Handed out after this call was sent (in another answer): the agent may run it.
                        cancel.add(c.id());
                    }
                    continue;
                }
                if (c.isReattachOnly()) {
                    // Handed out before the controller restarted, and this agent process does not
                    // have it: it died with the agent's previous process. Never started again.
                    gone = gone == null ? new ArrayList<>() : gone;
                    gone.add(c);
                    continue;
                }
                if (!c.delivered(name, instance)) {
                    continue;
                }
                tasks.add(c.task.toJson());
            } else if (c.cancelRequested()) {
                cancel.add(c.id());
            } else if (c.reattachDue(now)) {
                reattach.add(c.id());
            }
        }
        if (gone != null) {
            ResumedLaunches.lost(this, gone);
        }
        boolean urgent = !tasks.isEmpty() || !cancel.isEmpty() || !reattach.isEmpty();
        for (String k : known) {
            if (!calls.containsKey(k) && !claimable(k)) {
                cancel.add(k);
            }
        }
        if (tasks.isEmpty() && cancel.isEmpty() && reattach.isEmpty() || forgetLater && !urgent) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tasks", tasks);
        m.put("cancel", cancel);
        m.put("reattach", reattach);
        return m;
    }

    /** Cancelled tasks never fetched end here, as a killed process would. */
    void dropUndelivered(Set<String> known) {
        List<TaskCall> dropped = new ArrayList<>();
        synchronized (this) {
            for (TaskCall c : calls.values()) {
                if (c.cancelRequested() && !known.contains(c.id()) && !c.done()) {
                    dropped.add(c);
                }
            }
        }
        for (TaskCall c : dropped) {
            c.fail(new java.io.IOException("cancelled before agent " + name + " started it"));
            finished(c);
        }
    }

    /** The tasks running now, for the agents list. */
    synchronized List<Map<String, Object>> tasks() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TaskCall c : calls.values()) {
            if (!c.done()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", c.id());
                m.put("type", c.task.type());
                m.put("job", c.job);
                m.put("build", c.number);
                out.add(m);
            }
        }
        return out;
    }
}
