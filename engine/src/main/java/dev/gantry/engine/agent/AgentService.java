package dev.gantry.engine.agent;

import dev.gantry.api.agent.NodeTasks;
import dev.gantry.api.build.NodeLease;
import dev.gantry.api.workspace.Workspace;
import dev.gantry.engine.run.NodeProvider;
import dev.gantry.engine.store.AgentRecord;
import dev.gantry.engine.store.AgentRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The controller's agents: the built-in one (in this process) and the registered remote ones,
 * their sessions and leases, and the scheduling of builds' {@code node} and {@code agent}
 * blocks onto their executors by label expression. A remote agent whose lease runs out (no call
 * within the lease duration) goes offline, and every task it was running fails with
 * "agent NAME went offline during this step". Thread-safe.
 */
public final class AgentService implements AutoCloseable {
    /** The name and only label of the controller's own agent. */
    public static final String BUILT_IN = "built-in";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern LABEL = Pattern.compile("[^\\s&|!()\"<>]{1,100}");
    private static final System.Logger LOG = System.getLogger(AgentService.class.getName());

    private final AgentRepository repository;
    private final Duration lease;
    private final BuiltInNode builtIn;
    private final TaskIds ids = new TaskIds();
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, RemoteAgent> agents = new TreeMap<>();
    private final Map<String, String> lastNodeOfJob = new ConcurrentHashMap<>();
    private final List<Waiting> waiting = new CopyOnWriteArrayList<>();
    private final Thread reaper;
    private long version;
    private volatile boolean closed;
    private volatile PluginShipping shipping = new PluginShipping(List::of);
    private final long startedNanos = System.nanoTime();
    private final Duration reattachGrace;
    private volatile boolean graceOver;

    /**
     * @param repository where registered agents are kept
     * @param home the controller's home: the built-in agent's work directory ({@code workspace/<job>} below it)
     * @param builtInExecutors executors of the built-in agent; at least 1
     * @param lease how long a remote agent stays online without a call; at least 1 s
     */
    public AgentService(AgentRepository repository, Path home, int builtInExecutors, Duration lease) {
        this(repository, home, builtInExecutors, lease, defaultGrace(lease));
    }

    /**
     * The re-attach grace by default: {@code -Dgantry.agent.reattachGrace=SECONDS}, else the
     * longer of 60 s and two leases (an agent reconnects within its backoff, and a resumed build
     * replays to its running step within seconds).
     */
    static Duration defaultGrace(Duration lease) {
        String p = System.getProperty("gantry.agent.reattachGrace");
        if (p != null && !p.isBlank()) {
            try {
                return Duration.ofSeconds(Long.parseLong(p.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-Dgantry.agent.reattachGrace must be a whole number of seconds, got '" + p + "'", e);
            }
        }
        return Duration.ofSeconds(Math.max(60, 2 * lease.toSeconds()));
    }

    /**
     * @param repository where registered agents are kept
     * @param home the controller's home: the built-in agent's work directory ({@code workspace/<job>} below it)
     * @param builtInExecutors executors of the built-in agent; at least 1
     * @param lease how long a remote agent stays online without a call; at least 1 s
     * @param reattachGrace how long after this start tasks that agents still run from before it
     *     (steps of builds that resume) are left running for resumed builds to claim; unclaimed
     *     ones are cancelled after it. A resumed {@code node} block waits this long (at least one
     *     lease) for the agent it ran on to come back
     */
    public AgentService(AgentRepository repository, Path home, int builtInExecutors, Duration lease, Duration reattachGrace) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.reattachGrace = Objects.requireNonNull(reattachGrace, "reattachGrace");
        if (lease.toMillis() < 1000) {
            throw new IllegalArgumentException("the agent lease must be at least 1 s, got " + lease.toMillis() + " ms");
        }
        this.lease = lease;
        this.builtIn = new BuiltInNode(home.toAbsolutePath().normalize(), Math.max(1, builtInExecutors),
                TaskRunner.loadHandlers(AgentService.class.getClassLoader()));
        for (AgentRecord r : repository.list()) {
            agents.put(r.name(), new RemoteAgent(r.name(), r.labels(), r.executors(), r.secretHash(), this::inGrace));
        }
        this.reaper = Thread.ofVirtual().name("agent-leases").start(this::reap);
    }

    /**
     * Makes the started plugins' task handlers available: on the built-in agent directly, and
     * to remote agents, which fetch the jars of the plugins that contribute handlers
     * ({@code GET plugins}, {@code GET plugins/{sha256}}).
     *
     * @param system the controller's plugins; not null
     */
    public void plugins(dev.gantry.engine.plugin.PluginSystem system) {
        Objects.requireNonNull(system, "system");
        shipping = new PluginShipping(system::startedJars);
        builtIn.runner.plugins(new PluginHandlers() {
            @Override
            public dev.gantry.api.task.TaskHandlerExtension find(String taskType, Map<String, Object> plugin) {
                for (dev.gantry.api.task.TaskHandlerExtension e : system.extensions(dev.gantry.api.task.TaskHandlerExtension.class)) {
                    if (taskType.equals(e.taskType())) {
                        return e;
                    }
                }
                return null;
            }

            @Override
            public Set<String> taskTypes() {
                Set<String> types = new TreeSet<>();
                system.extensions(dev.gantry.api.task.TaskHandlerExtension.class).forEach(e -> types.add(e.taskType()));
                return types;
            }
        });
    }

    /** The plugin jars remote agents need. */
    PluginShipping shipping() {
        return shipping;
    }

    /** The lease duration agents are told in the handshake. */
    public Duration lease() {
        return lease;
    }

    // ---- administration ------------------------------------------------------------------

    /** A new agent's name and its secret, shown once. */
    public record Created(String name, String secret) {
    }

    /**
     * Registers an agent and issues its secret (256 random bits, hex); only its hash is kept.
     *
     * @throws IllegalArgumentException naming the problem with the name, a label or the executors
     * @throws IllegalStateException when an agent of that name exists
     */
    public Created create(String name, List<String> labels, int executors) {
        checkName(name);
        List<String> l = labels == null ? List.of() : labels;
        for (String label : l) {
            if (label == null || !LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + label + "' is not a label: a label is 1 to 100 characters without spaces or any of & | ! ( ) \" < >");
            }
        }
        if (executors < 1 || executors > 1000) {
            throw new IllegalArgumentException("executors must be between 1 and 1000, got " + executors);
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String text = HexFormat.of().formatHex(secret);
        AgentRecord record = new AgentRecord(name, new ArrayList<>(new TreeSet<>(l)), executors, hash(text), Instant.now());
        lock.lock();
        try {
            if (agents.containsKey(name) || !repository.create(record)) {
                throw new IllegalStateException("an agent named " + name + " exists already; delete it first to issue a new secret");
            }
            agents.put(name, new RemoteAgent(name, record.labels(), executors, record.secretHash(), this::inGrace));
            changedLocked();
        } finally {
            lock.unlock();
        }
        LOG.log(System.Logger.Level.INFO, "agent " + name + " created with labels " + record.labels() + " and " + executors + " executor(s)");
        return new Created(name, text);
    }

    /** Removes an agent; if it is connected, its session ends and its running tasks fail. */
    public boolean delete(String name) {
        if (BUILT_IN.equals(name)) {
            throw new IllegalArgumentException("the built-in agent cannot be deleted");
        }
        RemoteAgent a;
        lock.lock();
        try {
            a = agents.remove(name);
            repository.delete(name);
            changedLocked();
        } finally {
            lock.unlock();
        }
        if (a != null) {
            a.disconnect();
            LOG.log(System.Logger.Level.INFO, "agent " + name + " deleted");
        }
        return a != null;
    }

    /** Every agent, the built-in one first, as {@code GET /api/v1/agents} shows them. */
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        lock.lock();
        try {
            out.add(describe(builtIn, builtIn.facts(), List.of(), Instant.now()));
            for (RemoteAgent a : agents.values()) {
                long hb = a.lastHeartbeatMillis();
                out.add(describe(a, a.facts(), a.tasks(), hb == 0 ? null : Instant.ofEpochMilli(hb)));
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    private static Map<String, Object> describe(AgentNode n, Map<String, Object> facts, List<Map<String, Object>> tasks, Instant heartbeat) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", n.name);
        m.put("online", n.online());
        Set<String> labels = new TreeSet<>(n.labels());
        if (!BUILT_IN.equals(n.name)) {
            labels.remove(n.name);
        }
        m.put("labels", List.copyOf(labels));
        m.put("executors", n.executors());
        m.put("busy", n.busy());
        m.put("tasks", tasks);
        m.put("version", facts.get("version"));
        m.put("os", facts.get("os"));
        m.put("arch", facts.get("arch"));
        m.put("freeDiskBytes", facts.get("freeDiskBytes"));
        m.put("lastHeartbeat", heartbeat == null ? null : heartbeat.toString());
        return m;
    }

    /** Executors of the online nodes (the built-in one's included), and how many of them run a task or hold a node now: {@code [total, busy]}. */
    public int[] executorFigures() {
        int total = 0;
        int busy = 0;
        lock.lock();
        try {
            for (AgentNode n : nodesBuiltInFirst()) {
                if (n.online()) {
                    total += n.executors();
                    busy += n.busy();
                }
            }
        } finally {
            lock.unlock();
        }
        return new int[] {total, busy};
    }

    private List<AgentNode> nodesBuiltInFirst() {
        List<AgentNode> all = new ArrayList<>();
        all.add(builtIn);
        all.addAll(agents.values());
        return all;
    }

    /** Build steps waiting for an executor, with why: what {@code GET /api/v1/agents/waiting} shows. */
    public List<Map<String, Object>> waiting() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Waiting w : waiting) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("job", w.job);
            m.put("build", w.number);
            m.put("label", w.label);
            m.put("reason", w.reason);
            m.put("since", w.since.toString());
            out.add(m);
        }
        return out;
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not an agent name: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (BUILT_IN.equals(name) || "waiting".equals(name)) {
            throw new IllegalArgumentException("'" + name + "' is reserved; choose another agent name");
        }
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java runtime must provide", e);
        }
    }

    // ---- protocol ------------------------------------------------------------------------

    /** A refused protocol call: the HTTP status, a code and a message for the agent's operator. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        Refused(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /** The handshake: checks version and secret, starts (or resumes) the agent's session. */
    Map<String, Object> connect(String name, String secret, Map<String, Object> hello, String from) {
        Object protocol = hello.get("protocol");
        if (!(protocol instanceof Number n) || n.intValue() != AgentProtocol.VERSION) {
            LOG.log(System.Logger.Level.WARNING, "agent " + name + " from " + from + " refused: it speaks agent protocol " + protocol
                    + ", this controller " + AgentProtocol.VERSION);
            throw new Refused(400, "protocol_mismatch", "this controller (Gantry " + AgentProcess.gantryVersion() + ") speaks agent protocol "
                    + AgentProtocol.VERSION + " but the agent (Gantry " + hello.getOrDefault("version", "unknown") + ") speaks " + protocol
                    + "; run the agent of the controller's Gantry version (gantry --version on the controller)");
        }
        RemoteAgent a = check(name, secret, from);
        String instance = String.valueOf(hello.get("instance"));
        String session;
        synchronized (a) {
            if (a.online() && !instance.equals(a.instance())) {
                LOG.log(System.Logger.Level.WARNING, "agent " + name + ": refused a second connection from " + from
                        + " while it is connected");
                throw new Refused(409, "already_connected", "agent " + name + " is already connected from another process; stop that one,"
                        + " or wait up to " + lease.toSeconds() + " s for its lease to expire if it died");
            }
            if (a.online()) {
                session = a.session();
                a.seen();
            } else {
                byte[] b = new byte[16];
                random.nextBytes(b);
                session = HexFormat.of().formatHex(b);
                a.connect(session, instance, hello);
                LOG.log(System.Logger.Level.INFO, "agent " + name + " connected from " + from + " (" + hello.get("os") + " "
                        + hello.get("arch") + ", Gantry " + hello.get("version") + ", labels " + a.labels() + ")");
            }
        }
        signal();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", AgentProtocol.VERSION);
        m.put("session", session);
        m.put("leaseMillis", lease.toMillis());
        m.put("heartbeatMillis", Math.max(250, lease.toMillis() / 4));
        return m;
    }

    /**
     * Authenticates a call within a session.
     *
     * @throws Refused 401 for an unknown agent or a wrong secret, 410 when the session ended
     */
    RemoteAgent authenticate(String name, String secret, String session, String from) {
        RemoteAgent a = check(name, secret, from);
        if (session == null || !session.equals(a.session())) {
            throw new Refused(410, "session_ended", "the session of agent " + name
                    + " ended (its lease expired, or the controller restarted); connect again");
        }
        a.seen();
        return a;
    }

    private RemoteAgent check(String name, String secret, String from) {
        if (closed) {
            throw new Refused(503, "shutting_down", "the controller is shutting down; try again shortly");
        }
        RemoteAgent a;
        lock.lock();
        try {
            a = name == null ? null : agents.get(name);
        } finally {
            lock.unlock();
        }
        if (a == null) {
            LOG.log(System.Logger.Level.WARNING, "refused agent '" + name + "' from " + from + ": no agent of that name is registered");
            throw new Refused(401, "unknown_agent", "no agent named '" + name + "' is registered on this controller;"
                    + " create it with gantry agent-admin create " + name);
        }
        if (secret == null || !MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII),
                a.secretHash.getBytes(StandardCharsets.US_ASCII))) {
            LOG.log(System.Logger.Level.WARNING, "refused agent " + name + " from " + from + ": wrong secret");
            throw new Refused(401, "wrong_secret", "wrong secret for agent " + name
                    + "; use the secret issued when it was created (delete and create it again for a new one)");
        }
        return a;
    }

    /** Whether the re-attach grace after this start runs still. */
    boolean inGrace() {
        return !graceOver && System.nanoTime() - startedNanos < reattachGrace.toNanos();
    }

    private void reap() {
        long period = Math.max(100, Math.min(1000, lease.toMillis() / 4));
        while (!closed) {
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            List<RemoteAgent> all = snapshot();
            if (!graceOver && !inGrace()) {
                // Tasks from before this start that no resumed build claimed are stopped now.
                graceOver = true;
                all.forEach(RemoteAgent::wake);
            }
            long now = System.nanoTime();
            for (RemoteAgent a : all) {
                if (a.expired(now, lease.toNanos())) {
                    LOG.log(System.Logger.Level.WARNING, "agent " + a.name + " went offline: no call for " + lease.toSeconds()
                            + " s (its lease); its running tasks fail");
                    a.disconnect();
                    signal();
                }
            }
        }
    }

    // ---- scheduling ----------------------------------------------------------------------

    /** A build step waiting for an executor. */
    private static final class Waiting {
        final String job;
        final int number;
        final String label;
        final Instant since = Instant.now();
        volatile String reason;

        Waiting(String job, int number, String label) {
            this.job = job;
            this.number = number;
            this.label = label;
        }
    }

    /** The node provider of one build: workspaces are {@code workspace/<job>} on each node. */
    public NodeProvider forBuild(String job, int number) {
        return new NodeProvider() {
            @Override
            public NodeLease allocate(String label, String customWorkspace, Consumer<String> console) throws InterruptedException, IOException {
                return AgentService.this.allocate(job, number, label, customWorkspace, console, null);
            }

            @Override
            public NodeLease allocate(String label, String customWorkspace, Consumer<String> console, Placement previous)
                    throws InterruptedException, IOException {
                return AgentService.this.allocate(job, number, label, customWorkspace, console, previous);
            }
        };
    }

    /** The service steps use to run plugin task handlers on their node. */
    public NodeTasks nodeTasks() {
        return (Workspace ws, String handler, Map<String, Object> arguments, OutputStream log) -> {
            if (!(ws instanceof RemoteWorkspace rw)) {
                throw new IOException("the workspace " + ws.path() + " is not on a node of this controller, so task '"
                        + handler + "' cannot be sent there");
            }
            PluginShipping.Entry plugin = shipping.forTaskType(handler);
            return rw.handler(handler, arguments, plugin == null ? null : plugin.toJson(), log);
        };
    }

    NodeLease allocate(String job, int number, String label, String customWorkspace, Consumer<String> console)
            throws InterruptedException, IOException {
        return allocate(job, number, label, customWorkspace, console, null);
    }

    /**
     * Allocates a node; with {@code previous} (a resumed block's journaled placement) that node
     * and workspace first, waiting for the agent to come back up to the re-attach grace (at least
     * one lease), else as usual, saying so in the log after the "Running on" line.
     */
    NodeLease allocate(String job, int number, String label, String customWorkspace, Consumer<String> console,
                       NodeProvider.Placement previous) throws InterruptedException, IOException {
        LabelExpression expr;
        try {
            expr = LabelExpression.parse(label);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        String shown = label == null ? "" : label.trim();
        boolean custom = customWorkspace != null && !customWorkspace.isBlank();
        String root = custom ? customWorkspace.trim() : "workspace/" + job;
        if (!custom) {
            RemoteWorkspace.join("", job);
        }
        String note = null;
        if (previous != null) {
            Reallocated r = reallocate(job, number, expr, shown, custom, previous);
            if (r.slot != null) {
                return lease(r.node, r.slot, job, number, console);
            }
            note = r.note;
        }
        Waiting w = new Waiting(job, number, shown);
        String lastReason = null;
        AgentNode picked;
        AgentNode.Slot slot;
        try {
            while (true) {
                String reason;
                long seen;
                lock.lock();
                try {
                    List<AgentNode> matching = new ArrayList<>();
                    for (AgentNode n : nodes()) {
                        if (expr.matches(n.labels())) {
                            matching.add(n);
                        }
                    }
                    AgentNode pick = pick(job, matching);
                    if (pick != null) {
                        picked = pick;
                        slot = pick.take(root, custom);
                        lastNodeOfJob.put(job, pick.name);
                        break;
                    }
                    if (matching.isEmpty()) {
                        reason = "There are no nodes with the label '" + shown + "'";
                    } else if (matching.stream().noneMatch(AgentNode::online)) {
                        reason = "All nodes of label '" + shown + "' are offline";
                    } else {
                        reason = shown.isEmpty() ? "Waiting for next available executor" : "Waiting for next available executor on '" + shown + "'";
                    }
                    seen = version;
                } finally {
                    lock.unlock();
                }
                if (!reason.equals(lastReason)) {
                    console.accept(reason);
                    w.reason = reason;
                    if (lastReason == null) {
                        waiting.add(w);
                    }
                    lastReason = reason;
                }
                lock.lock();
                try {
                    while (version == seen) {
                        changed.await(5, TimeUnit.SECONDS);
                    }
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            waiting.remove(w);
        }
        NodeLease l = lease(picked, slot, job, number, console);
        if (note != null) {
            // After "Running on": a resumed log drops the lines it had already, counted per writer.
            console.accept(note + "; running on " + picked.name + " in " + l.workspace().path() + " instead, where a step whose process was"
                    + " running on " + previous.node() + " fails as that agent went offline (it is not run again)");
        }
        return l;
    }

    /** The node and slot a resumed block got again, or why not (a line for its log). */
    private record Reallocated(AgentNode node, AgentNode.Slot slot, String note) {
    }

    private Reallocated reallocate(String job, int number, LabelExpression expr, String shown, boolean custom, NodeProvider.Placement previous)
            throws InterruptedException {
        String name = previous.node();
        long deadline = Math.max(startedNanos + reattachGrace.toNanos(), System.nanoTime() + lease.toNanos());
        Waiting w = null;
        lock.lock();
        try {
            while (true) {
                AgentNode n = node(name);
                if (n == null) {
                    return new Reallocated(null, null, "Resuming: node " + name + ", where this block ran before the controller restarted,"
                            + " no longer exists");
                }
                if (!expr.matches(n.labels())) {
                    return new Reallocated(null, null, "Resuming: node " + name + ", where this block ran before the controller restarted,"
                            + " no longer matches the label '" + shown + "'");
                }
                if (n.online()) {
                    AgentNode.Slot slot = n.takeExact(previous.workspace());
                    if (slot == null) {
                        // Another build took its workspace meanwhile: another one on the same
                        // node, where the step's process still runs and is re-attached.
                        slot = n.take(previous.workspace().replaceFirst("@\\d+$", ""), custom);
                    }
                    lastNodeOfJob.put(job, n.name);
                    return new Reallocated(n, slot, null);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.log(System.Logger.Level.WARNING, job + " #" + number + ": agent " + name + " did not come back after the restart;"
                            + " its steps run again elsewhere");
                    return new Reallocated(null, null, "Resuming: agent " + name + ", where this block ran before the controller restarted,"
                            + " did not come back within " + Math.max(1, Duration.ofNanos(deadline - startedNanos).toSeconds())
                            + " s of the restart");
                }
                if (w == null) {
                    w = new Waiting(job, number, shown);
                    w.reason = "Waiting for agent " + name + ", where this build ran before the controller restarted";
                    waiting.add(w);
                }
                changed.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
        } finally {
            lock.unlock();
            if (w != null) {
                waiting.remove(w);
            }
        }
    }

    /** Online, with a free executor; the node the job ran on last is preferred (its workspace is warm). */
    private AgentNode pick(String job, List<AgentNode> matching) {
        String last = lastNodeOfJob.get(job);
        AgentNode first = null;
        for (AgentNode n : matching) {
            if (n.online() && n.hasFreeExecutor()) {
                if (n.name.equals(last)) {
                    return n;
                }
                if (first == null) {
                    first = n;
                }
            }
        }
        return first;
    }

    /** The node called {@code name}, or null. */
    AgentNode node(String name) {
        lock.lock();
        try {
            return BUILT_IN.equals(name) ? builtIn : agents.get(name);
        } finally {
            lock.unlock();
        }
    }

    private List<AgentNode> nodes() {
        List<AgentNode> all = new ArrayList<>();
        all.add(builtIn);
        all.addAll(agents.values());
        return all;
    }

    private NodeLease lease(AgentNode node, AgentNode.Slot slot, String job, int number, Consumer<String> console) {
        RemoteWorkspace ws = new RemoteWorkspace(node, ids, job, number, slot.root(), "");
        Map<String, String> env = AgentNode.base(node, slot.executor(), ws.path());
        console.accept("Running on " + node.name + " in " + ws.path());
        NodeProvider.Placement placement = new NodeProvider.Placement(node.name, slot.root());
        return new Placed() {
            private boolean released;

            @Override
            public NodeProvider.Placement placement() {
                return placement;
            }

            @Override
            public String nodeName() {
                return node.name;
            }

            @Override
            public Workspace workspace() {
                return ws;
            }

            @Override
            public Map<String, String> environment() {
                return env;
            }

            @Override
            public void close() {
                lock.lock();
                try {
                    if (!released) {
                        released = true;
                        node.release(slot);
                        changedLocked();
                    }
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    private void signal() {
        lock.lock();
        try {
            changedLocked();
        } finally {
            lock.unlock();
        }
    }

    private void changedLocked() {
        version++;
        changed.signalAll();
    }

    /** The agents known now, copied under the lock so that callers can iterate without it. */
    private List<RemoteAgent> snapshot() {
        lock.lock();
        try {
            return new ArrayList<>(agents.values());
        } finally {
            lock.unlock();
        }
    }

    /** Stops the lease checks and ends every session. */
    @Override
    public void close() {
        closed = true;
        reaper.interrupt();
        List<RemoteAgent> all = snapshot();
        all.forEach(RemoteAgent::disconnect);
    }

    /** A lease that tells its placement, for the build's journal. */
    private interface Placed extends NodeLease, NodeProvider.Placed {
    }

    /** The controller's own agent: tasks run in this process. */
    private static final class BuiltInNode extends AgentNode {
        private final Path home;
        private final int executors;
        private final InProcessChannel channel;
        final TaskRunner runner;

        BuiltInNode(Path home, int executors, Map<String, dev.gantry.api.agent.TaskHandler> handlers) {
            super(BUILT_IN);
            this.home = home;
            this.executors = executors;
            this.runner = new TaskRunner(BUILT_IN, home, handlers);
            this.channel = new InProcessChannel(runner);
        }

        Map<String, Object> facts() {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("version", AgentProcess.gantryVersion());
            f.put("os", System.getProperty("os.name"));
            f.put("arch", System.getProperty("os.arch"));
            long free;
            try {
                Path p = home;
                while (p != null && !Files.exists(p)) {
                    p = p.getParent();
                }
                free = p == null ? -1 : Files.getFileStore(p).getUsableSpace();
            } catch (IOException e) {
                free = -1;
            }
            f.put("freeDiskBytes", free < 0 ? null : free);
            return f;
        }

        @Override
        Set<String> labels() {
            return Set.of(BUILT_IN);
        }

        @Override
        int executors() {
            return executors;
        }

        @Override
        boolean online() {
            return true;
        }

        @Override
        AgentChannel channel() {
            return channel;
        }

        @Override
        String workdir() {
            return home.toString();
        }

        @Override
        boolean isUnix() {
            return java.io.File.separatorChar == '/';
        }

        @Override
        Map<String, String> environment() {
            return Map.of();
        }
    }
}
