package dev.gantry.engine.run;

import dev.gantry.api.Result;
import dev.gantry.api.step.Cancellation;
import dev.gantry.api.step.FlowInterruptedException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node in the tree of cancellable scopes of one build. Cancelling a scope interrupts every
 * thread running in it or in a scope nested in it; the cancellation is sticky: every later step
 * or checkpoint in the scope throws again, so pipeline code that swallows the first exception
 * still ends. Thread-safe.
 */
final class CancellationScope implements Cancellation {
    private final CancellationScope parent;
    private final Set<CancellationScope> children = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile Result result;
    private volatile String reason;
    private volatile long lastActivity = System.nanoTime();

    CancellationScope(CancellationScope parent) {
        this.parent = parent;
        if (parent != null) {
            parent.children.add(this);
        }
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
            this.result = result;
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
        for (CancellationScope s = this; s != null; s = s.parent) {
            if (s.result != null) {
                return true;
            }
        }
        return false;
    }

    /** Throws the interruption of the nearest cancelled scope, if any. */
    void check() {
        for (CancellationScope s = this; s != null; s = s.parent) {
            if (s.result != null) {
                throw new FlowInterruptedException(s.result, s.reason);
            }
        }
    }

    /** Whether {@code e} is this scope's own cancellation (not an enclosing one's). */
    boolean isOwnCancellation() {
        return result != null;
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
