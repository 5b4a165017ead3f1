package dev.gantry.api.step;

import org.apiguardian.api.API;

/** Whether a step takes a closure body ({@code dir('x') { ... }}). @since 0.1 */
@API(status = API.Status.STABLE, since = "0.1")
public enum BodyKind {
    /** The step takes no body; passing one is an error. */
    NONE,
    /** A body may be given. */
    OPTIONAL,
    /** A body must be given. */
    REQUIRED
}
