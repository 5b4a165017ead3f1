package dev.gantry.engine.queue;

import dev.gantry.engine.jobs.JobOptions;
import dev.gantry.engine.store.BuildRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The controller's queue of builds waiting to start, and the job options that decide when each
 * may: {@code quietPeriod} (a build waits that long; identical triggers meanwhile are merged into
 * it), {@code disableConcurrentBuilds} (a build waits while another of its job runs) and its
 * {@code abortPrevious} (the running build is aborted once a newer one is ready to start).
 * Builds start in the order they were queued among those allowed to start.
 *
 * <p>Thread-safe. Executors call {@link #take}; a watcher thread aborts superseded builds even when
 * no executor is free to notice them. {@link #close()} stops the watcher.
 */
public final class BuildQueue implements AutoCloseable {
    /** Aborts a running build; called without the queue's lock held, must not throw. */
    public interface Aborter {
        void abort(String job, int number, String reason);
    }

    private static final class Item {
        final BuildRecord build;
        JobOptions options;
        long dueNanos;
        /** The running build this one has asked to abort, so it asks only once. */
        int abortRequested;

        Item(BuildRecord build, JobOptions options, long dueNanos) {
            this.build = build;
            this.options = options;
            this.dueNanos = dueNanos;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Item> waiting = new ArrayList<>();
    private final Map<String, List<Integer>> running = new HashMap<>();
    private final Object[] submitLocks = new Object[64];
    private final Aborter aborter;
    private final Thread watcher;
    private volatile boolean closed;

    /** @param aborter how a superseded running build is aborted (abortPrevious) */
    public BuildQueue(Aborter aborter) {
        this.aborter = Objects.requireNonNull(aborter, "aborter");
        for (int i = 0; i < submitLocks.length; i++) {
            submitLocks[i] = new Object();
        }
        this.watcher = Thread.ofVirtual().name("queue-watcher").start(this::watch);
    }

    /**
     * Queues a new build of a job, or merges the trigger into a build of the same job with the
     * same parameters that is still in its quiet period (as Jenkins does); the merged build's quiet
     * period then starts again.
     *
     * @param create creates the build record; called at most once, only when nothing was merged
     * @return the queued build: new, or the one the trigger was merged into
     */
    public BuildRecord submit(String job, Map<String, Object> parameters, JobOptions options, Supplier<BuildRecord> create) {
        // One submit per job at a time, so two identical triggers cannot both miss each other.
        synchronized (submitLocks[Math.floorMod(job.hashCode(), submitLocks.length)]) {
            if (options.quietSeconds() > 0) {
                lock.lock();
                try {
                    long now = System.nanoTime();
                    for (Item i : waiting) {
                        if (i.build.job().equals(job) && i.dueNanos > now && i.build.parameters().equals(parameters)) {
                            i.dueNanos = now + TimeUnit.SECONDS.toNanos(options.quietSeconds());
                            i.options = options;
                            changed.signalAll();
                            return i.build;
                        }
                    }
                } finally {
                    lock.unlock();
                }
            }
            BuildRecord b = create.get();
            add(b, options, System.nanoTime() + TimeUnit.SECONDS.toNanos(options.quietSeconds()));
            return b;
        }
    }

    /**
     * Counts a build resumed after a restart as running (it started before the restart), so that
     * {@code disableConcurrentBuilds} holds; call {@link #finished} when it ends.
     */
    public void resumed(String job, int number) {
        lock.lock();
        try {
            running.computeIfAbsent(job, k -> new ArrayList<>()).add(number);
        } finally {
            lock.unlock();
        }
    }

    /** Queues a build found QUEUED at start-up; its quiet period counts from when it was queued. */
    public void recover(BuildRecord b, JobOptions options) {
        long waited = Math.max(0, Duration.between(b.queuedAt(), Instant.now()).toNanos());
        add(b, options, System.nanoTime() + Math.max(0, TimeUnit.SECONDS.toNanos(options.quietSeconds()) - waited));
    }

    private void add(BuildRecord b, JobOptions options, long due) {
        lock.lock();
        try {
            waiting.add(new Item(b, options, due));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a build that may start now and marks it running; the caller must call
     * {@link #finished} for it when it ends (however it ends).
     *
     * @return the build, or null when none could start within {@code timeoutMillis}
     */
    public BuildRecord take(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                long next = deadline;
                for (Iterator<Item> it = waiting.iterator(); it.hasNext(); ) {
                    Item i = it.next();
                    if (i.dueNanos > now) {
                        next = Math.min(next, i.dueNanos);
                        continue;
                    }
                    if (i.options.serial() && running.containsKey(i.build.job())) {
                        continue;
                    }
                    it.remove();
                    running.computeIfAbsent(i.build.job(), k -> new ArrayList<>()).add(i.build.number());
                    return i.build;
                }
                if (now >= deadline) {
                    return null;
                }
                changed.awaitNanos(next - now);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A build taken from the queue has ended; builds of its job may start. */
    public void finished(String job, int number) {
        lock.lock();
        try {
            List<Integer> r = running.get(job);
            if (r != null) {
                r.remove(Integer.valueOf(number));
                if (r.isEmpty()) {
                    running.remove(job);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Removes a waiting build (stopped, or its job deleted); false when it was not waiting. */
    public boolean remove(String job, int number) {
        lock.lock();
        try {
            return waiting.removeIf(i -> i.build.job().equals(job) && i.build.number() == number);
        } finally {
            lock.unlock();
        }
    }

    /** Removes every waiting build of the jobs {@code jobs} accepts (deleted jobs); returns how many. */
    public int removeJobs(java.util.function.Predicate<String> jobs) {
        lock.lock();
        try {
            int before = waiting.size();
            waiting.removeIf(i -> jobs.test(i.build.job()));
            return before - waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** The job's options changed: waiting builds of it follow the new ones from now on. */
    public void optionsChanged(String job, JobOptions options) {
        lock.lock();
        try {
            for (Item i : waiting) {
                if (i.build.job().equals(job)) {
                    i.options = options;
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Every waiting build, oldest first, with why it waits. */
    public List<QueueItem> items() {
        lock.lock();
        try {
            long now = System.nanoTime();
            List<QueueItem> out = new ArrayList<>();
            for (Item i : waiting) {
                out.add(new QueueItem(i.build.job(), i.build.number(), i.build.queuedAt(), why(i, now)));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Why a waiting build has not started; empty when it is not waiting. */
    public Optional<String> why(String job, int number) {
        lock.lock();
        try {
            long now = System.nanoTime();
            for (Item i : waiting) {
                if (i.build.job().equals(job) && i.build.number() == number) {
                    return Optional.of(why(i, now));
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    private String why(Item i, long now) {
        if (i.dueNanos > now) {
            return String.format(Locale.ROOT, "In the quiet period. Expires in %.1f sec", (i.dueNanos - now) / 1e9);
        }
        List<Integer> r = running.get(i.build.job());
        if (i.options.serial() && r != null && !r.isEmpty()) {
            return "Build #" + r.get(0) + " is already in progress" + (i.options.abortsPrevious() ? "; it is being aborted (abortPrevious)" : "");
        }
        return "Waiting for next available executor";
    }

    /** Builds waiting. */
    public int size() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Aborts running builds superseded by a waiting build that is out of its quiet period. */
    private void watch() {
        while (!closed) {
            List<Object[]> aborts = new ArrayList<>();
            lock.lock();
            try {
                long now = System.nanoTime();
                long next = now + TimeUnit.SECONDS.toNanos(1);
                for (Item i : waiting) {
                    if (i.dueNanos > now) {
                        next = Math.min(next, i.dueNanos);
                        continue;
                    }
                    List<Integer> r = running.get(i.build.job());
                    if (i.options.abortsPrevious() && r != null) {
                        for (Integer n : r) {
                            if (n < i.build.number() && i.abortRequested != n) {
                                i.abortRequested = n;
                                aborts.add(new Object[] {i.build.job(), n, "Superseded by #" + i.build.number() + " (disableConcurrentBuilds abortPrevious)"});
                            }
                        }
                    }
                }
                if (aborts.isEmpty()) {
                    changed.awaitNanos(next - now);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            for (Object[] a : aborts) {
                try {
                    aborter.abort((String) a[0], (Integer) a[1], (String) a[2]);
                } catch (RuntimeException e) {
                    System.getLogger(BuildQueue.class.getName()).log(System.Logger.Level.WARNING,
                            "cannot abort " + a[0] + " #" + a[1] + ": " + e.getMessage());
                }
            }
        }
    }

    /** Stops the watcher; waiting builds stay (they are persisted as QUEUED). */
    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            watcher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
