package dev.gantry.api.step;

import dev.gantry.api.Result;
import org.apiguardian.api.API;

/**
 * A scope that can be cancelled: created by {@link StepContext#newCancellation()}, entered by
 * running a body with {@link ContextChange.Builder#cancellation}. Cancelling it interrupts every
 * thread running in the scope (parallel branches included) and kills the processes they started;
 * from then on each step and each loop iteration of pipeline code in the scope throws
 * {@link FlowInterruptedException} with the given result and reason. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Cancellation extends AutoCloseable {

    /** Cancels the scope; the first call wins, later calls do nothing. */
    void cancel(Result result, String reason);

    /** Whether this scope (or one enclosing it) was cancelled. */
    boolean isCancelled();

    /** {@link System#nanoTime()} of the last console output written inside the scope. */
    long lastActivityNanos();

    /** Detaches the scope from its parent once the body that ran in it is done. */
    @Override
    void close();
}
