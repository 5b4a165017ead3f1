package dev.gantry.engine.run;

import dev.gantry.api.scm.ChangeSetEntry;
import dev.gantry.api.scm.ScmCheckouts;
import dev.gantry.api.scm.ScmRevision;
import dev.gantry.api.scm.ScmSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The engine's {@link ScmCheckouts}: one per build. It answers previous revisions from the
 * job's earlier builds ({@link History}), keeps this build's checkouts, exports their variables
 * build-wide, and hands every change to a sink (the controller stores it with the build).
 * Thread-safe.
 */
public final class BuildScm implements ScmCheckouts {
    private final ScmSource jobSource;
    private final History history;
    private final Consumer<List<Checkout>> sink;
    private final Map<String, String> initialEnv;
    private final List<Checkout> checkouts = new ArrayList<>();
    private volatile BuildRun run;

    /**
     * One checkout of a build: what, which revision, which changes.
     *
     * @param result the result of the build that made it, or null while it runs
     */
    public record Checkout(ScmSource source, ScmRevision revision, List<ChangeSetEntry> changes, String result) {
        public Checkout {
            changes = changes == null ? List.of() : List.copyOf(changes);
        }

        /** Whether it checked out the same repository as {@code other}: same type and {@code url}. */
        boolean sameSource(ScmSource other) {
            return source.type().equals(other.type()) && Objects.equals(source.setting("url"), other.setting("url"));
        }
    }

    /** The checkouts of a job's earlier builds, newest build first, each with its result. */
    @FunctionalInterface
    public interface History {
        List<Checkout> earlier();
    }

    /**
     * @param jobSource where the job's pipeline came from ({@code checkout scm}), or null
     * @param history the earlier builds' checkouts; {@code List::of} for none
     * @param sink told of every checkout list after a record (to store it); called under no lock of the run
     * @param initialEnv variables the build has from its start (a multibranch job's {@code BRANCH_NAME})
     */
    public BuildScm(ScmSource jobSource, History history, Consumer<List<Checkout>> sink, Map<String, String> initialEnv) {
        this.jobSource = jobSource;
        this.history = Objects.requireNonNull(history, "history");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.initialEnv = Map.copyOf(initialEnv);
    }

    /** A build without history, whose records stay in memory (a local run). */
    public static BuildScm inMemory() {
        return new BuildScm(null, List::of, c -> { }, Map.of());
    }

    void bind(BuildRun r) {
        this.run = r;
        initialEnv.forEach((k, v) -> r.globalEnv().putIfAbsent(k, v));
    }

    @Override
    public ScmSource jobSource() {
        return jobSource;
    }

    @Override
    public ScmRevision previous(ScmSource source) {
        return find(source, false);
    }

    @Override
    public ScmRevision previousSuccessful(ScmSource source) {
        return find(source, true);
    }

    private ScmRevision find(ScmSource source, boolean successful) {
        for (Checkout c : history.earlier()) {
            if (c.sameSource(source) && (!successful || "SUCCESS".equals(c.result()))) {
                return c.revision();
            }
        }
        return null;
    }

    @Override
    public void record(ScmSource source, ScmRevision revision, List<ChangeSetEntry> changes) {
        List<Checkout> now;
        synchronized (checkouts) {
            checkouts.removeIf(c -> c.sameSource(source));
            checkouts.add(new Checkout(source, revision, changes, null));
            now = List.copyOf(checkouts);
        }
        BuildRun r = run;
        if (r != null) {
            r.globalEnv().putAll(revision.environment());
        }
        sink.accept(now);
    }

    @Override
    public List<ChangeSetEntry> changes() {
        List<ChangeSetEntry> all = new ArrayList<>();
        for (Checkout c : checkouts()) {
            all.addAll(c.changes());
        }
        return all;
    }

    /** This build's checkouts so far. */
    public List<Checkout> checkouts() {
        synchronized (checkouts) {
            return List.copyOf(checkouts);
        }
    }

    /** The {@code scm} variable: the job's source as a map ({@code type}, {@code url}, ...), or null. */
    Map<String, Object> scmVariable() {
        if (jobSource == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", jobSource.type());
        m.putAll(jobSource.settings());
        return m;
    }
}
