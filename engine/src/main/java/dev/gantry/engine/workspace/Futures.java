package dev.gantry.engine.workspace;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting on futures in clean-up paths, where neither an interrupt nor a failure may cut the wait short. */
public final class Futures {
    private Futures() {
    }

    /**
     * Waits at most {@code limit} for {@code future} to complete, whatever its outcome. An interrupt
     * does not end the wait; it is restored on the thread afterwards.
     */
    public static void awaitQuietly(Future<?> future, Duration limit) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + limit.toNanos();
        while (!future.isDone()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                future.get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
