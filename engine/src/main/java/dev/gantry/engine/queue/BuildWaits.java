package dev.gantry.engine.queue;

import dev.gantry.engine.server.BuildListener;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildRepository;
import dev.gantry.engine.store.BuildStatus;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets threads wait until a build has started or completed. Woken by the controller's build
 * events, and every few seconds regardless: a build cancelled while queued, or a job deleted,
 * ends without an event, and the store is what counts. A lock and condition rather than
 * {@code Object.wait}, which would pin the virtual thread to its carrier. Thread-safe.
 */
final class BuildWaits implements BuildListener {
    private static final long RECHECK_SECONDS = 2;
    private final BuildRepository builds;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private long events;

    BuildWaits(BuildRepository builds) {
        this.builds = builds;
    }

    @Override
    public void started(BuildRecord build, long queuedMillis) {
        started.add(build.job() + "#" + build.number());
        signal();
    }

    @Override
    public void completed(BuildRecord build) {
        started.remove(build.job() + "#" + build.number());
        signal();
    }

    private void signal() {
        lock.lock();
        try {
            events++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until build {@code number} of {@code job} has started ({@code untilStarted}) or completed.
     *
     * @return its record then
     * @throws NoSuchElementException when the build no longer exists (its job was deleted)
     * @throws InterruptedException when the waiting thread is interrupted
     */
    BuildRecord await(String job, int number, boolean untilStarted) throws InterruptedException {
        while (true) {
            long seen;
            lock.lock();
            try {
                seen = events;
            } finally {
                lock.unlock();
            }
            BuildRecord b = builds.find(job, number)
                    .orElseThrow(() -> new NoSuchElementException(job + " #" + number + " no longer exists: its job was deleted"));
            if (b.status() == BuildStatus.COMPLETED
                    || untilStarted && (b.status() == BuildStatus.RUNNING || started.contains(job + "#" + number))) {
                return b;
            }
            lock.lockInterruptibly();
            try {
                if (events == seen) {
                    changed.await(RECHECK_SECONDS, TimeUnit.SECONDS);
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
