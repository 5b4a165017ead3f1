package dev.gantry.engine.server;

import dev.gantry.engine.store.LogIndex;
import dev.gantry.engine.store.LogStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Build logs for readers beyond the plain console text: the step index, one node's bytes, and
 * live followers, who are told (never blocked on) when a running build's log grew or the build
 * ended. Also remembers why a log could not be written (a full disk), since that message cannot
 * go into the log itself; it is kept in memory for the newest 1,000 such builds. Thread-safe.
 */
public final class BuildLogs {
    private static final int FAILURES_KEPT = 1000;
    private final LogStore store;
    private final Map<String, Set<Runnable>> followers = new ConcurrentHashMap<>();
    private final Map<String, String> failures = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > FAILURES_KEPT;
        }
    });

    public BuildLogs(LogStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The log's size in bytes so far; 0 when there is none. */
    public long size(String job, int number) throws IOException {
        return store.size(job, number);
    }

    /** The log index's size in bytes so far; 0 when there is none. */
    long indexSize(String job, int number) throws IOException {
        return store.indexSize(job, number);
    }

    /** The console log from {@code offset} to its current end. */
    public InputStream read(String job, int number, long offset) throws IOException {
        return store.read(job, number, offset);
    }

    /** The build's step index as written so far (it trails the log by at most a flush, ~100 ms). */
    public LogIndex index(String job, int number) throws IOException {
        return store.index(job, number);
    }

    /** The bytes of {@code ranges} of the log, one after the other. */
    public InputStream read(String job, int number, java.util.List<LogIndex.Range> ranges) throws IOException {
        return store.read(job, number, ranges);
    }

    /**
     * Calls {@code onChange} whenever the build's log was flushed or the build ended, on the
     * writer's thread: it must return at once (schedule work, never do it). Also call it for
     * builds not started yet.
     *
     * @return undoes the subscription; idempotent
     */
    public Runnable follow(String job, int number, Runnable onChange) {
        String key = key(job, number);
        followers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(onChange);
        return () -> followers.computeIfPresent(key, (k, set) -> {
            set.remove(onChange);
            return set.isEmpty() ? null : set;
        });
    }

    /** How many followers are subscribed, over all builds (for tests and metrics). */
    public int followerCount() {
        return followers.values().stream().mapToInt(Set::size).sum();
    }

    /** Why the build's log could not be written, if it could not (in memory since the controller started). */
    public Optional<String> failure(String job, int number) {
        return Optional.ofNullable(failures.get(key(job, number)));
    }

    /** Cuts the build's log and index back to a journal's mark (see {@link LogStore#truncate}). */
    void truncate(String job, int number, long logBytes, long indexBytes) throws IOException {
        store.truncate(job, number, logBytes, indexBytes);
    }

    /** Opens a running build's log for writing (see {@link BuildLog}). */
    BuildLog open(String job, int number) throws IOException {
        return BuildLog.open(store, job, number, () -> changed(job, number), message -> failures.put(key(job, number), message));
    }

    /** Tells the build's followers that something changed (its log grew, it ended). */
    void changed(String job, int number) {
        Set<Runnable> set = followers.get(key(job, number));
        if (set == null) {
            return;
        }
        for (Runnable r : set) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.getLogger(BuildLogs.class.getName()).log(System.Logger.Level.WARNING,
                        "a follower of " + job + " #" + number + " failed: " + e);
            }
        }
    }

    /** Records a failure to open or write the log that happened outside a {@link BuildLog}. */
    void failed(String job, int number, String message) {
        failures.put(key(job, number), message);
    }

    private static String key(String job, int number) {
        return job + "#" + number;
    }
}
