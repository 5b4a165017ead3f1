package dev.gantry.engine.run;

import dev.gantry.api.Result;
import dev.gantry.api.step.Cancellation;
import dev.gantry.api.step.FlowInterruptedException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node in the tree of cancellable scopes of one build. Cancelling a scope interrupts every
 * thread running in it or in a scope nested in it, and each of those threads gets the
 * interruption once, at its current or next step or checkpoint: as in Jenkins, code that catches
 * it ({@code finally}, {@code catch}) can still run steps, so cleanup works after an abort or a
 * timeout. Forcing the scope ({@link #force}, a second abort of the build) makes the cancellation
 * sticky: every later step or checkpoint throws again, so code that swallows the interruption still
 * ends. A shielded scope ({@link #shielded}) ignores the cancellations its enclosing scopes received
 * before it was made, so declarative {@code post} blocks run even on a thread the interruption has
 * not reached yet; a later cancellation reaches it as usual. Thread-safe.
 */
final class CancellationScope implements Cancellation {
    private final CancellationScope parent;
    private final Set<CancellationScope> children = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile Result result;
    private volatile String reason;
    private volatile long lastActivity = System.nanoTime();
    /** Threads that have received this scope's cancellation (unless forced, they get it once). */
    private final Set<Thread> delivered = ConcurrentHashMap.newKeySet();
    private volatile boolean forced;
    /** When this scope was cancelled, on {@link #SEQUENCE}; 0 while it is not. */
    private volatile long cancelledAt;
    /** Cancellations of enclosing scopes at or before this point are ignored; 0 for an ordinary scope. */
    private final long shieldedUpTo;

    private static final AtomicLong SEQUENCE = new AtomicLong();

    CancellationScope(CancellationScope parent) {
        this(parent, 0);
    }

    private CancellationScope(CancellationScope parent, long shieldedUpTo) {
        this.parent = parent;
        this.shieldedUpTo = shieldedUpTo;
        if (parent != null) {
            parent.children.add(this);
        }
    }

    /**
     * A scope nested in {@code parent} that ignores the cancellations {@code parent} and its
     * enclosing scopes have already received, but not later ones. Close it when done.
     */
    static CancellationScope shielded(CancellationScope parent) {
        return new CancellationScope(parent, SEQUENCE.incrementAndGet());
    }

    /** Detaches this scope from its parent once nothing runs in it any more. */
    @Override
    public void close() {
        if (parent != null) {
            parent.children.remove(this);
        }
    }

    void enter(Thread t) {
        threads.add(t);
    }

    void exit(Thread t) {
        threads.remove(t);
    }

    @Override
    public void cancel(Result result, String reason) {
        synchronized (this) {
            if (this.result != null) {
                return;
            }
            this.reason = reason;
            this.cancelledAt = SEQUENCE.incrementAndGet();
            this.result = result;
        }
        interruptAll();
    }

    /**
     * Cancels this scope if it is not yet cancelled; otherwise makes the cancellation sticky and
     * interrupts its threads again (Jenkins' forcible termination after a first abort).
     */
    void force(Result result, String reason) {
        synchronized (this) {
            if (this.result == null) {
                cancel(result, reason);
                return;
            }
            forced = true;
        }
        interruptAll();
    }

    private void interruptAll() {
        for (Thread t : threads) {
            t.interrupt();
        }
        for (CancellationScope c : children) {
            c.interruptAll();
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelledScope() != null;
    }

    /**
     * Throws the interruption of the nearest cancelled scope if the calling thread has not had it
     * yet (always, once the scope is forced). Clears the thread's interrupt flag when it throws: the
     * exception carries the interruption, and steps of a {@code finally} must not see it again.
     */
    void check() {
        CancellationScope s = cancelledScope();
        if (s != null && (s.forced || s.delivered.add(Thread.currentThread()))) {
            Thread.interrupted();
            throw new FlowInterruptedException(s.result, s.reason);
        }
    }

    /** The nearest scope, this one or an enclosing one, whose cancellation applies here; or null. */
    private CancellationScope cancelledScope() {
        long ignoreUpTo = 0;
        for (CancellationScope s = this; s != null; s = s.parent) {
            if (s.result != null && s.cancelledAt > ignoreUpTo) {
                return s;
            }
            ignoreUpTo = Math.max(ignoreUpTo, s.shieldedUpTo);
        }
        return null;
    }

    String reason() {
        return reason;
    }

    void touch(long now) {
        for (CancellationScope s = this; s != null; s = s.parent) {
            s.lastActivity = now;
        }
    }

    @Override
    public long lastActivityNanos() {
        return lastActivity;
    }
}
