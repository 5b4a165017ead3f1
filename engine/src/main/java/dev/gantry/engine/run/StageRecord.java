package dev.gantry.engine.run;

import dev.gantry.api.Result;

/**
 * One stage of a build as the stage graph shows it: name, enclosing stage, timing and status.
 * Status is null while the stage runs. Thread-safe.
 */
public final class StageRecord {
    /** How a stage ended; the first five mirror {@link Result}. */
    public enum Status { SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED, SKIPPED, NOT_EXECUTED;
        static Status of(Result r) {
            return valueOf(r.name());
        }
    }

    private final String id;
    private final String name;
    private final StageRecord parent;
    private final long startMillis;
    private final long startNanos = System.nanoTime();
    private volatile long durationMillis = -1;
    private volatile Status status;
    private volatile Result explicitResult;
    private final java.util.function.Consumer<StageRecord> onFinish;

    StageRecord(String id, String name, StageRecord parent) {
        this(id, name, parent, r -> { });
    }

    /** @param onFinish hears the stage end once (the log index records it) */
    StageRecord(String id, String name, StageRecord parent, java.util.function.Consumer<StageRecord> onFinish) {
        this.id = id;
        this.name = name;
        this.parent = parent;
        this.startMillis = System.currentTimeMillis();
        this.onFinish = onFinish;
    }

    public String id() { return id; }

    public String name() { return name; }

    public StageRecord parent() { return parent; }

    public long startMillis() { return startMillis; }

    public Status status() { return status; }

    /** Milliseconds from start to end; up to now while running. */
    public long durationMillis() {
        long d = durationMillis;
        return d >= 0 ? d : (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** The worst result set explicitly inside the stage (unstable, catchError), or null. */
    Result explicitResult() {
        return explicitResult;
    }

    synchronized void worsen(Result r) {
        explicitResult = explicitResult == null ? r : explicitResult.combine(r);
    }

    void finish(Status s) {
        synchronized (this) {
            if (status != null) {
                return;
            }
            status = s;
            durationMillis = (System.nanoTime() - startNanos) / 1_000_000;
        }
        onFinish.accept(this);
    }
}
