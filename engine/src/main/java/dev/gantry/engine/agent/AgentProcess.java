package dev.gantry.engine.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The agent process ({@code gantry agent}): connects out to the controller, long-polls for its
 * tasks, runs them with a {@link TaskRunner} in its work directory, streams their logs and
 * results back, and heartbeats its lease. When the controller goes away it keeps what it has to
 * send and tries again with exponential backoff and jitter; after a controller restart it
 * connects again by itself. Refusals that retrying cannot fix (a wrong secret, another protocol
 * version) end it.
 */
public final class AgentProcess {
    /** How long a long poll waits on the controller for work. */
    private static final long POLL_WAIT_MILLIS = 25_000;

    /**
     * How an agent is started.
     *
     * @param url the controller's base URL ({@code https://ci.example.com/})
     * @param name the agent's name, as created on the controller
     * @param secret the secret the controller issued
     * @param labels labels added to the ones it was created with
     * @param executors executors instead of the number it was created with, or null
     * @param workdir where workspaces live ({@code workspace/<job>} below it)
     * @param caCert a CA certificate (PEM) to trust alone for HTTPS, or null for the JDK's
     * @param maxBackoff the longest pause between attempts to reach the controller
     */
    public record Config(String url, String name, String secret, List<String> labels, Integer executors, Path workdir,
                         Path caCert, Duration maxBackoff) {
        public Config {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(secret, "secret");
            labels = labels == null ? List.of() : List.copyOf(labels);
            workdir = workdir.toAbsolutePath().normalize();
            maxBackoff = maxBackoff == null ? Duration.ofSeconds(10) : maxBackoff;
        }
    }

    private final Config config;
    private final AgentHttp http;
    private final TaskRunner runner;
    private final AgentPlugins plugins;
    private final AgentTransfers transfers;
    private final PrintStream log;
    private final String instance = UUID.randomUUID().toString();
    /** Tasks whose process or work runs now. */
    private final Map<String, TaskRunner.Running> running = new ConcurrentHashMap<>();
    /**
     * Every task the agent has: running, or ended with its result not taken yet, or kept after
     * the controller took its result (until the controller says to forget it, with a cancel):
     * what polls name as known, so that a restarted controller can re-attach to them.
     */
    private final Map<String, TaskReporter> tasks = new ConcurrentHashMap<>();
    private final Object sessionLock = new Object();
    private volatile String session;
    private volatile long heartbeatMillis = 5_000;
    private volatile boolean stopping;
    private volatile Thread main;
    private volatile WorkspaceJanitor janitor;
    private volatile boolean outage;
    /** Until the first session: an agent started together with its controller retries quickly. */
    private volatile boolean everConnected;
    private final long createdNanos = System.nanoTime();

    /**
     * @param log where the agent says what it does (never a secret)
     * @throws IOException when the CA certificate cannot be read, or the work directory created
     */
    public AgentProcess(Config config, PrintStream log) throws IOException {
        this.config = config;
        this.log = log;
        this.http = new AgentHttp(config.url(), config.name(), config.secret(), config.caCert());
        Files.createDirectories(config.workdir());
        this.runner = new TaskRunner(config.name(), config.workdir(), TaskRunner.loadHandlers(AgentProcess.class.getClassLoader()));
        this.plugins = new AgentPlugins(config.workdir(), config.name(), new AgentPlugins.Source() {
            @Override
            public Map<String, Object> list() throws IOException, InterruptedException {
                return http.get("plugins", awaitSession(), Duration.ofSeconds(30));
            }

            @Override
            public InputStream jar(String sha256) throws IOException, InterruptedException {
                return http.download("plugins/" + sha256, awaitSession());
            }
        }, log);
        runner.plugins(plugins);
        this.transfers = new AgentTransfers(http, this::awaitSession, config.name(), log);
    }

    /**
     * Deletes workspaces no task used for {@code retention} (see {@link WorkspaceJanitor}); call
     * before {@link #run()}.
     *
     * @param retention at least 1 s
     * @return this agent
     */
    public AgentProcess workspaceRetention(Duration retention) {
        this.janitor = new WorkspaceJanitor(config.workdir(), retention, config.name(), log);
        return this;
    }

    /** Parses a retention period as {@code --workspace-retention} takes it ({@code 7d}, {@code 12h}, {@code 30m}, {@code 90s}). */
    public static Duration parseRetention(String text) {
        return WorkspaceJanitor.parse(text);
    }

    /** This Gantry's version, from the jar's manifest, or "development". */
    public static String gantryVersion() {
        String v = AgentProcess.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /**
     * Serves the controller until {@link #stop()} or a refusal retrying cannot fix.
     *
     * @return 0 when stopped, 2 when the controller refused the agent (wrong secret, unknown
     *     agent, other protocol version)
     */
    public int run() {
        main = Thread.currentThread();
        log.println("gantry agent " + config.name() + ": connecting to " + config.url() + " (work directory " + config.workdir() + ")");
        Thread heartbeat = Thread.ofVirtual().name("agent-heartbeat").start(this::heartbeats);
        // Its first task is most likely a process: set the launcher up while the agent connects.
        dev.gantry.engine.workspace.LocalProcess.prepare(true);
        WorkspaceJanitor j = janitor;
        Thread sweeper = j == null ? null : Thread.ofVirtual().name("agent-workspace-retention").start(() -> sweep(j));
        int failures = 0;
        try {
            while (!stopping) {
                try {
                    if (session == null) {
                        connect();
                    } else {
                        pollOnce();
                    }
                    failures = 0;
                } catch (AgentHttp.Status s) {
                    if (s.status == 401 || s.status == 400 && "protocol_mismatch".equals(s.code)) {
                        log.println("gantry agent " + config.name() + ": the controller at " + config.url() + " refused this agent: " + s.getMessage());
                        return 2;
                    }
                    if (s.status == 410) {
                        sessionEnded(session);
                        continue;
                    }
                    if (s.status == 409 && failures == 0) {
                        log.println("gantry agent " + config.name() + ": " + s.getMessage() + "; trying again");
                    }
                    failures = pause(failures, s);
                } catch (IOException e) {
                    failures = pause(failures, e);
                }
            }
            return 0;
        } catch (InterruptedException e) {
            return 0;
        } finally {
            stopping = true;
            heartbeat.interrupt();
            if (sweeper != null) {
                sweeper.interrupt();
            }
            plugins.close();
        }
    }

    /** Stops: running tasks are cancelled (their processes killed), the session is ended. */
    public void stop() {
        stopping = true;
        running.values().forEach(TaskRunner.Running::cancel);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
        String s = session;
        if (s != null) {
            try {
                http.post("disconnect", s, Map.of(), Duration.ofSeconds(5));
            } catch (IOException | InterruptedException e) {
                // Going away anyway: the lease ends the session on the controller.
            }
        }
        Thread m = main;
        if (m != null) {
            m.interrupt();
        }
    }

    private void connect() throws IOException, InterruptedException {
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("protocol", AgentProtocol.VERSION);
        hello.put("instance", instance);
        hello.put("labels", config.labels());
        hello.put("executors", config.executors());
        hello.put("version", gantryVersion());
        hello.put("os", System.getProperty("os.name"));
        hello.put("arch", System.getProperty("os.arch"));
        hello.put("workdir", config.workdir().toString());
        hello.put("freeDiskBytes", freeDisk());
        hello.put("environment", System.getenv());
        Map<String, Object> answer = http.post("connect", null, hello, Duration.ofSeconds(30));
        heartbeatMillis = ((Number) answer.get("heartbeatMillis")).longValue();
        synchronized (sessionLock) {
            session = (String) answer.get("session");
            everConnected = true;
            sessionLock.notifyAll();
        }
        outage = false;
        log.println("gantry agent " + config.name() + ": connected to " + config.url() + " (lease " + answer.get("leaseMillis") + " ms)");
        try {
            plugins.sync();
        } catch (IOException e) {
            // Named in the log by sync; a task that needs the plugin tries again and fails with the reason.
            log.println("gantry agent " + config.name() + ": not every plugin could be loaded now; tasks that need one fetch it again");
        }
    }

    private void pollOnce() throws IOException, InterruptedException {
        Map<String, Object> body = Map.of("known", known());
        Map<String, Object> work = http.post("poll?wait=" + POLL_WAIT_MILLIS, session, body, Duration.ofMillis(POLL_WAIT_MILLIS + 15_000));
        outage = false;
        work(work);
    }

    /** Every task the agent has, as polls name them ({@code known}). */
    List<String> known() {
        return new ArrayList<>(tasks.keySet());
    }

    /**
     * Does what a poll answer says, or an events answer that carries work (protocol 3): starts
     * the tasks it does not have, stops or forgets the ones named in {@code cancel}, and reports
     * again the ones named in {@code reattach}. Any thread.
     */
    @SuppressWarnings("unchecked")
    void work(Map<String, Object> work) {
        for (Object t : (List<Object>) work.getOrDefault("tasks", List.of())) {
            start(Task.fromJson((Map<String, Object>) t));
        }
        cancel((List<Object>) work.getOrDefault("cancel", List.of()));
        reattach((List<Object>) work.getOrDefault("reattach", List.of()));
    }

    /**
     * Stops the running tasks named; forgets the ended ones whose result the controller took
     * (a controller that released them, or one that restarted and no build claimed them).
     */
    private void cancel(List<Object> ids) {
        for (Object o : ids) {
            String id = String.valueOf(o);
            TaskRunner.Running r = running.get(id);
            if (r != null) {
                r.cancel();
                continue;
            }
            TaskReporter t = tasks.get(id);
            if (t != null && t.resultTaken()) {
                tasks.remove(id, t);
                t.close();
            }
        }
    }

    /** A controller that restarted claimed these tasks: they report everything again. */
    private void reattach(List<Object> ids) {
        for (Object o : ids) {
            TaskReporter t = tasks.get(String.valueOf(o));
            if (t != null) {
                log.println("gantry agent " + config.name() + ": the controller re-attached to task " + o + "; sending its output and result again");
                t.rewind();
            }
        }
    }

    private void start(Task task) {
        TaskRunner.Running r;
        TaskReporter reporter;
        // A task can arrive twice at once, in a poll answer and in an events answer: it starts once.
        synchronized (tasks) {
            if (tasks.containsKey(task.id())) {
                return;
            }
            r = new TaskRunner.Running(task);
            reporter = new TaskReporter(this, task.id());
            running.put(task.id(), r);
            tasks.put(task.id(), reporter);
        }
        WorkspaceJanitor j = janitor;
        if (j != null) {
            j.used(task.string("root"));
        }
        Thread.ofVirtual().name("task-" + task.id()).start(() -> {
            Map<String, Object> result = new LinkedHashMap<>();
            try {
                result.put("value", runner.run(r, io(task, reporter)));
            } catch (Exception e) {
                result.put("error", TaskErrors.toJson(e));
            } finally {
                running.remove(task.id(), r);
            }
            reporter.result(result);
            reporter.sendNow();
        });
    }

    private TaskIo io(Task task, TaskReporter reporter) {
        return new TaskIo() {
            @Override
            public OutputStream log(String stream) {
                return reporter.stream(stream);
            }

            @Override
            public InputStream input() throws IOException {
                return transfers.input(task);
            }

            @Override
            public OutputStream output() throws IOException {
                return transfers.upload(task);
            }
        };
    }

    private void sweep(WorkspaceJanitor j) {
        while (!stopping) {
            java.util.Set<String> inUse = new java.util.HashSet<>();
            running.values().forEach(r -> inUse.add(r.task.string("root")));
            j.sweep(inUse);
            try {
                Thread.sleep(j.period());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void heartbeats() {
        while (!stopping) {
            try {
                Thread.sleep(heartbeatMillis);
            } catch (InterruptedException e) {
                return;
            }
            String s = session;
            if (s == null) {
                continue;
            }
            try {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("running", new ArrayList<>(tasks.keySet()));
                body.put("freeDiskBytes", freeDisk());
                Map<String, Object> answer = http.post("heartbeat", s, body, Duration.ofMillis(Math.max(1000, heartbeatMillis * 2)));
                @SuppressWarnings("unchecked")
                List<Object> cancel = (List<Object>) answer.getOrDefault("cancel", List.of());
                cancel(cancel);
                @SuppressWarnings("unchecked")
                List<Object> again = (List<Object>) answer.getOrDefault("reattach", List.of());
                reattach(again);
            } catch (AgentHttp.Status e) {
                if (e.status == 410) {
                    sessionEnded(s);
                }
            } catch (IOException e) {
                // The poll loop reports outages and reconnects.
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A protocol call within the session; a 410 ends the session (the main loop connects again). */
    Map<String, Object> post(String path, Object body, Duration timeout) throws IOException, InterruptedException {
        return inSession(s -> http.post(path, s, body, timeout));
    }

    /** Sends a binary events body within the session, as {@link #post} does. */
    Map<String, Object> postEvents(String path, List<byte[]> body, Duration timeout) throws IOException, InterruptedException {
        return inSession(s -> http.postEvents(path, s, body, timeout));
    }

    /** A call made with the session's id. */
    private interface SessionCall {
        Map<String, Object> send(String session) throws IOException, InterruptedException;
    }

    private Map<String, Object> inSession(SessionCall call) throws IOException, InterruptedException {
        String s = awaitSession();
        try {
            return call.send(s);
        } catch (AgentHttp.Status e) {
            if (e.status == 410) {
                sessionEnded(s);
            }
            throw e;
        }
    }

    private String awaitSession() throws InterruptedException {
        synchronized (sessionLock) {
            while (session == null) {
                if (stopping) {
                    throw new InterruptedException("the agent is stopping");
                }
                sessionLock.wait(1000);
            }
            return session;
        }
    }

    private void sessionEnded(String ended) {
        synchronized (sessionLock) {
            if (ended != null && ended.equals(session)) {
                session = null;
                log.println("gantry agent " + config.name() + ": the session ended (lease expired or controller restarted); connecting again");
            }
        }
    }

    private static final long STARTING_NANOS = Duration.ofSeconds(5).toNanos();

    /** Waits before the next attempt: exponential backoff with jitter; returns the failure count. */
    int pause(int failures, Exception e) throws InterruptedException {
        if (failures == 0 && !(e instanceof AgentHttp.Status)) {
            unreachable(e);
        }
        // Starts short (50-100 ms): an agent started with its controller finds it listening within
        // a second or two, and a refused connection on a network costs nothing; doubles from there.
        // Before its first session and for its first 5 s an agent keeps to 50-100 ms: it was most
        // likely started with its controller, and a doubled wait would outlast the controller's start.
        long cap = backoffCapMillis(failures);
        Thread.sleep(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
        return failures + 1;
    }

    /** The longest wait after {@code failures} failed attempts in a row (the wait is half of it to all of it). */
    long backoffCapMillis(int failures) {
        boolean starting = !everConnected && System.nanoTime() - createdNanos < STARTING_NANOS;
        return Math.min(config.maxBackoff().toMillis(), 100L << (starting ? 0 : Math.min(failures, 16)));
    }

    /** Says once per outage that the controller cannot be reached. */
    synchronized void unreachable(Exception e) {
        if (!outage) {
            outage = true;
            log.println("gantry agent " + config.name() + ": cannot reach the controller at " + config.url() + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "); trying again with backoff");
        }
    }

    long maxBackoffMillis() {
        return config.maxBackoff().toMillis();
    }

    /** The controller took the task's result and does not ask to keep it: forgotten. */
    void reported(String taskId) {
        tasks.remove(taskId);
    }

    /** The controller does not have the task: stopped and forgotten. */
    void gone(String taskId) {
        tasks.remove(taskId);
        TaskRunner.Running r = running.get(taskId);
        if (r != null) {
            r.cancel();
        }
    }

    private long freeDisk() {
        try {
            return Files.getFileStore(config.workdir()).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }
}
