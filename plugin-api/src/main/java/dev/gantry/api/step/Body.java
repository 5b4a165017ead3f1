package dev.gantry.api.step;

import org.apiguardian.api.API;

/**
 * The closure a step was called with ({@code dir('sub') { ... }}), or one branch of a
 * {@link ParamType#BODY_MAP}. Running it runs the pipeline code inside, on the calling thread,
 * and returns the closure's value. A body may be run more than once ({@code retry}); each run's
 * steps get their own deterministic ids, so replay after a restart lines up.
 *
 * <p>Exceptions thrown by steps in the body propagate unchanged; a checked exception from pipeline
 * code arrives wrapped in {@link StepFailedException} only if it was not a runtime exception.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Body {

    /** Runs the body in the caller's context. */
    default Object run() {
        return run(ContextChange.NONE);
    }

    /** Runs the body with the context changed: environment, directory, stage, cancellation. */
    Object run(ContextChange change);
}
