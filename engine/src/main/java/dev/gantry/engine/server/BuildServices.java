package dev.gantry.engine.server;

import dev.gantry.engine.run.BuildRun;
import dev.gantry.engine.store.BuildRecord;

/**
 * Adds to each build of the controller before it runs: services its steps reach through
 * {@code StepContext.service} (the {@code build} step's {@link dev.gantry.api.build.BuildTrigger},
 * for example). Called on the executor's thread; must be quick and must not throw.
 */
public interface BuildServices {

    /** Configures the build that is about to run from {@code build}'s record. */
    void configure(BuildRecord build, BuildRun.Builder run);
}
