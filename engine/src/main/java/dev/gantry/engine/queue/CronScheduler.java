package dev.gantry.engine.queue;

import dev.gantry.engine.pipeline.CronSpec;
import dev.gantry.engine.store.TriggerRepository;
import dev.gantry.engine.store.TriggerRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * Starts jobs by their {@code cron} triggers, as Jenkins' timer does: each minute whose time in
 * the spec's zone ({@code TZ=}, else the clock's zone) matches a job's schedule starts one build
 * of it, with {@code H} hashed from the job's full name ({@link CronSpec#schedule}).
 *
 * <p>It starts with the minute after it was started and never catches up with minutes before
 * (a controller that was down for an hour does not start an hour of builds). A minute is claimed
 * in the store before the build is queued, so a minute never starts two builds, also across a
 * restart within that minute; a crash between claim and queueing loses that one start. When the
 * scheduler falls behind (a paused machine, a clock set forward), it looks at the minutes it
 * missed, but starts each job at most once for all of them. The same schedules drive
 * {@code pollSCM} (the git plugin's controller side makes one for that kind, with its own start).
 * Thread-safe.
 */
public final class CronScheduler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CronScheduler.class.getName());
    /** The most minutes one check looks back at after falling behind: one day. */
    private static final int MAX_MINUTES = 24 * 60;
    private final TriggerRepository triggers;
    private final String kind;
    private final BiPredicate<String, Instant> claim;
    private final Consumer<String> start;
    private final Clock clock;
    private final Map<String, CronSpec.Schedule> schedules = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private Instant checkedUpTo;
    private volatile boolean closed;
    private Thread thread;

    /**
     * @param triggers where the cron triggers and the claims are
     * @param start queues a timer build of the named job; may throw (logged, the next minute goes on)
     * @param clock the time and default zone; tests pass one they move themselves
     */
    public CronScheduler(TriggerRepository triggers, Consumer<String> start, Clock clock) {
        this(triggers, "cron", start, clock, Objects.requireNonNull(triggers, "triggers")::claimTimerMinute);
    }

    /**
     * A scheduler of the triggers of {@code kind} ({@code cron}, {@code pollSCM}).
     *
     * @param claim claims a due minute of a job before {@code start} is called; false skips it
     *     (the timer claims it in the store, so that a minute never starts two builds)
     */
    public CronScheduler(TriggerRepository triggers, String kind, Consumer<String> start, Clock clock, BiPredicate<String, Instant> claim) {
        this.triggers = Objects.requireNonNull(triggers, "triggers");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.claim = Objects.requireNonNull(claim, "claim");
        this.start = Objects.requireNonNull(start, "start");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.checkedUpTo = minute(clock.instant());
    }

    /**
     * Starts checking, on a virtual thread of its own, once a minute and whenever
     * {@link #wakeUp()} is called; the first minute checked is the one after the scheduler was made.
     *
     * @throws IllegalStateException when started twice
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the " + kind + " scheduler is already running");
        }
        thread = Thread.ofVirtual().name(kind + "-scheduler").start(this::loop);
    }

    private void loop() {
        while (!closed) {
            try {
                check();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the " + kind + " scheduler could not check the triggers: " + e.getMessage());
            }
            lock.lock();
            try {
                Instant now = clock.instant();
                long wait = Duration.between(now, minute(now).plus(1, ChronoUnit.MINUTES)).toMillis();
                // Also a second at most: a clock that is moved (NTP, a test) is noticed within it.
                if (!closed) {
                    wake.await(Math.max(10, Math.min(wait, 1000)), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Makes the scheduler look at the clock now instead of within the next second. */
    public void wakeUp() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts the jobs due in the minutes that began since the last check, up to the clock's
     * current minute; does nothing within the minute checked last. Called by the scheduler's
     * thread; public for callers that drive the clock themselves.
     *
     * @return the jobs started, in the order started
     */
    public synchronized List<String> check() {
        Instant now = minute(clock.instant());
        if (!now.isAfter(checkedUpTo)) {
            return List.of();
        }
        Instant from = checkedUpTo.plus(1, ChronoUnit.MINUTES);
        if (Duration.between(from, now).toMinutes() >= MAX_MINUTES) {
            from = now.minus(MAX_MINUTES - 1, ChronoUnit.MINUTES);
        }
        checkedUpTo = now;
        List<String> started = new java.util.ArrayList<>();
        for (TriggerRow t : triggers.ofKind(kind)) {
            CronSpec.Schedule s = schedule(t);
            if (s == null) {
                continue;
            }
            Instant due = latestMatch(s, from, now);
            if (due != null && claim.test(t.job(), due)) {
                try {
                    start.accept(t.job());
                    started.add(t.job());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "the " + kind + " trigger could not start " + t.job() + ": " + e.getMessage());
                }
            }
        }
        return started;
    }

    private Instant latestMatch(CronSpec.Schedule s, Instant from, Instant to) {
        for (Instant m = to; !m.isBefore(from); m = m.minus(1, ChronoUnit.MINUTES)) {
            if (s.matches(ZonedDateTime.ofInstant(m, clock.getZone()))) {
                return m;
            }
        }
        return null;
    }

    private CronSpec.Schedule schedule(TriggerRow t) {
        String key = t.job() + "\n" + t.spec();
        CronSpec.Schedule s = schedules.get(key);
        if (s == null) {
            try {
                s = CronSpec.parse(t.spec()).schedule(t.job());
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "the " + kind + " trigger of " + t.job() + " is not valid and is skipped: " + e.getMessage());
                return null;
            }
            if (schedules.size() > 10_000) {
                schedules.clear();
            }
            schedules.put(key, s);
        }
        return s;
    }

    private static Instant minute(Instant t) {
        return t.truncatedTo(ChronoUnit.MINUTES);
    }

    /** Stops the scheduler's thread and waits for it; idempotent. */
    @Override
    public void close() {
        closed = true;
        wakeUp();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
