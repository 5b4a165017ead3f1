package dev.gantry.engine.run;

import dev.gantry.api.Result;
import dev.gantry.engine.steps.StepLibrary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state of one build while its script runs: result, stages, environment, services, log
 * and journal. Shared by every thread of the build; thread-safe.
 */
public final class BuildRun {
    private final String jobName;
    private final int number;
    private final StepLibrary steps;
    private final StepJournal journal;
    private final LogSink log;
    private final BuildSecrets secrets = new BuildSecrets();
    private final NodeProvider nodes;
    private final Map<Class<?>, Object> services;
    private final Map<String, String> baseEnv;
    private final Map<String, String> globalEnv = new ConcurrentHashMap<>();
    private volatile Map<String, Object> parameters = Map.of();
    private final AtomicReference<Result> result = new AtomicReference<>(Result.SUCCESS);
    private final List<StageRecord> stages = new CopyOnWriteArrayList<>();
    private final AtomicInteger stageIds = new AtomicInteger();
    private final CancellationScope root = new CancellationScope(null);
    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private final Result previousResult;
    private final BuildHistory history;
    private final List<Map<String, Object>> causes;
    private final String url;
    private volatile boolean timestamps;
    private volatile String displayName;
    private volatile String description;
    private volatile String scriptName = "Jenkinsfile";
    private final String restartFrom;
    private volatile int preservedStashBuilds;

    private BuildRun(Builder b) {
        this.jobName = b.jobName;
        this.number = b.number;
        this.steps = b.steps;
        this.journal = b.journal;
        this.log = new MaskingLogSink(b.log, secrets);
        this.nodes = b.nodes;
        this.services = Map.copyOf(b.services);
        this.previousResult = b.previousResult;
        this.history = b.history;
        this.causes = b.causes;
        this.url = b.url;
        this.restartFrom = b.restartFrom;
        Map<String, String> env = new LinkedHashMap<>(b.baseEnv);
        env.put("BUILD_NUMBER", String.valueOf(number));
        env.put("BUILD_ID", String.valueOf(number));
        env.put("BUILD_DISPLAY_NAME", "#" + number);
        env.put("JOB_NAME", jobName);
        env.put("JOB_BASE_NAME", jobName.contains("/") ? jobName.substring(jobName.lastIndexOf('/') + 1) : jobName);
        env.put("BUILD_TAG", "gantry-" + jobName.replace('/', '-') + "-" + number);
        env.put("GANTRY", "true");
        if (b.url != null) {
            env.put("BUILD_URL", b.url);
        }
        this.baseEnv = Collections.unmodifiableMap(env);
        if (services.get(dev.gantry.api.scm.ScmCheckouts.class) instanceof BuildScm scm) {
            scm.bind(this);
        }
    }

    public static Builder builder(String jobName, StepLibrary steps, LogSink log, NodeProvider nodes) {
        return new Builder(jobName, steps, log, nodes);
    }

    public String jobName() { return jobName; }

    public int number() { return number; }

    public StepLibrary steps() { return steps; }

    public StepJournal journal() { return journal; }

    public LogSink log() { return log; }

    /** The secrets bound in this build, masked in its log. */
    public BuildSecrets secrets() { return secrets; }

    NodeProvider nodes() { return nodes; }

    /** The result so far. */
    public Result result() { return result.get(); }

    /** Makes the result worse; never better. */
    public void worsen(Result r) {
        result.accumulateAndGet(r, Result::combine);
    }

    /** The result of the previous build of the job, or null when unknown (a local run). */
    public Result previousResult() { return previousResult; }

    /** The job's other builds, or null when there are none to see (a local run). */
    public BuildHistory history() { return history; }

    /** Why the build started, as {@code currentBuild.getBuildCauses()} shows it; immutable. */
    public List<Map<String, Object>> causes() { return causes; }

    /** The build's absolute URL, or null when there is none (a local run). */
    public String url() { return url; }

    /**
     * The variables the pipeline set ({@code env.X = ...}) and the parameters, as strings: what a
     * build that waited for this one sees as {@code getBuildVariables()}. A snapshot.
     */
    public Map<String, String> buildVariables() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(globalEnv));
    }

    /** The stages in the order they started. */
    public List<StageRecord> stages() { return Collections.unmodifiableList(new ArrayList<>(stages)); }

    StageRecord openStage(String name, StageRecord parent) {
        StageRecord s = new StageRecord("s" + stageIds.incrementAndGet(), name, parent,
                r -> log.stageFinished(r.id(), r.status().name(), r.durationMillis()));
        stages.add(s);
        log.stageStarted(s.id(), name, parent == null ? null : parent.id());
        return s;
    }

    public Map<String, Object> parameters() { return parameters; }

    void setParameters(Map<String, Object> params) {
        Map<String, Object> copy = new LinkedHashMap<>(params);
        this.parameters = Collections.unmodifiableMap(copy);
        copy.forEach((k, v) -> globalEnv.put(k, v == null ? "" : String.valueOf(v)));
    }

    /** Build-wide variables: parameters and {@code env.NAME = value} assignments. */
    Map<String, String> globalEnv() { return globalEnv; }

    Map<String, String> baseEnv() { return baseEnv; }

    CancellationScope rootScope() { return root; }

    /**
     * Aborts the whole build (a user's stop, Ctrl-C, shutdown). The first abort interrupts the running
     * steps once, so {@code finally} blocks and {@code post} still run; a second one forces the end:
     * every later step fails too.
     */
    public void abort(String reason) {
        root.force(Result.ABORTED, reason);
    }

    <T> Optional<T> service(Class<T> type) {
        if (type == BuildSecrets.class) {
            return Optional.of(type.cast(secrets));
        }
        if (type == StepLibrary.class) {
            return Optional.of(type.cast(steps));
        }
        return Optional.ofNullable(type.cast(services.get(type)));
    }

    boolean timestamps() { return timestamps; }

    void enableTimestamps() { timestamps = true; }

    public long startMillis() { return startMillis; }

    public long durationMillis() { return (System.nanoTime() - startNanos) / 1_000_000; }

    public String displayName() { return displayName == null ? "#" + number : displayName; }

    void setDisplayName(String s) { displayName = s; }

    public String description() { return description; }

    /** The name of the pipeline script, as used in messages that point at a line of it. */
    String scriptName() { return scriptName; }

    void setScriptName(String name) { scriptName = name; }

    void setDescription(String s) { description = s; }

    /**
     * The top-level stage a restarted declarative build begins at (the stages before it are
     * skipped), or null when the build runs every stage.
     */
    public String restartFrom() { return restartFrom; }

    /**
     * How many completed builds of the job keep their stashes, as the pipeline's
     * {@code options { preserveStashes(buildCount: N) }} asks; 0 when it does not (the stashes
     * of this build are then discarded when it ends).
     */
    public int preservedStashBuilds() { return preservedStashBuilds; }

    void preserveStashes(int builds) { preservedStashBuilds = builds; }

    /** Writes a line of the engine's own (not a step's) to the log. */
    void engineLine(LogSink.LogSource source, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        log.chunk(source, b, 0, b.length, true, true);
    }

    /** Configures a {@link BuildRun}. */
    public static final class Builder {
        private final String jobName;
        private final StepLibrary steps;
        private final LogSink log;
        private final NodeProvider nodes;
        private int number = 1;
        private StepJournal journal = new InMemoryStepJournal();
        private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
        private Map<String, String> baseEnv = System.getenv();
        private Result previousResult;
        private BuildHistory history;
        private List<Map<String, Object>> causes = List.of(localCause());
        private String url;
        private String restartFrom;

        private Builder(String jobName, StepLibrary steps, LogSink log, NodeProvider nodes) {
            this.jobName = jobName;
            this.steps = steps;
            this.log = log;
            this.nodes = nodes;
        }

        public Builder number(int n) { this.number = n; return this; }

        public Builder journal(StepJournal j) { this.journal = j; return this; }

        public <T> Builder service(Class<T> type, T impl) { services.put(type, impl); return this; }

        public Builder baseEnvironment(Map<String, String> env) { this.baseEnv = env; return this; }

        public Builder previousResult(Result r) { this.previousResult = r; return this; }

        /** The job's other builds, for {@code currentBuild.previousBuild}; null for none. */
        public Builder history(BuildHistory h) { this.history = h; return this; }

        /**
         * Why the build started: maps as Jenkins' {@code getBuildCauses()} lists them, each with
         * {@code _class} and {@code shortDescription}. Default: a user cause, "Started by user".
         */
        public Builder causes(List<Map<String, Object>> c) {
            List<Map<String, Object>> copy = new ArrayList<>();
            for (Map<String, Object> m : c) {
                copy.add(Collections.unmodifiableMap(new LinkedHashMap<>(m)));
            }
            this.causes = List.copyOf(copy);
            return this;
        }

        /** The build's absolute URL ({@code BUILD_URL}, {@code currentBuild.absoluteUrl}); null for none. */
        public Builder url(String u) { this.url = u; return this; }

        private static Map<String, Object> localCause() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("_class", "hudson.model.Cause$UserIdCause");
            m.put("shortDescription", "Started by user");
            return Collections.unmodifiableMap(m);
        }
        /**
         * Restarts a declarative pipeline at the top-level stage {@code stage}: the stages before
         * it are shown as skipped and not run; the pipeline's agent, environment, options and post
         * run as usual. A stage that is not top-level, or a scripted pipeline, fails the build
         * before anything runs. Null (the default) runs every stage.
         */
        public Builder restartFrom(String stage) { this.restartFrom = stage; return this; }

        public BuildRun build() { return new BuildRun(this); }
    }
}
