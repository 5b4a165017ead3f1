package dev.gantry.engine.queue;

import dev.gantry.api.Result;
import dev.gantry.api.build.BuildTrigger;
import dev.gantry.engine.server.BuildUrls;
import dev.gantry.engine.server.ControllerService;
import dev.gantry.engine.store.BuildCause;
import dev.gantry.engine.store.BuildDetails;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildRepository;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@link BuildTrigger} of one running build: queues builds of other jobs with a cause naming
 * this build, and waits for them (a waiting build holds no controller executor). When the waiting build
 * is aborted, the build it waits for is aborted too (dequeued, or stopped while it runs), as
 * Jenkins' build step does when it is stopped.
 */
final class DownstreamBuilds implements BuildTrigger {
    private final ControllerService controller;
    private final BuildRepository builds;
    private final BuildWaits waits;
    private final String callerJob;
    private final int callerNumber;
    private final Supplier<String> root;

    DownstreamBuilds(ControllerService controller, BuildRepository builds, BuildWaits waits, String callerJob, int callerNumber,
                     Supplier<String> root) {
        this.controller = controller;
        this.builds = builds;
        this.waits = waits;
        this.callerJob = callerJob;
        this.callerNumber = callerNumber;
        this.root = root;
    }

    @Override
    public Queued queue(String job, Map<String, Object> parameters, int quietPeriodSeconds) throws InterruptedException {
        String resolved = JobPaths.resolve(job, callerJob, name -> controller.job(name).isPresent())
                .orElseThrow(() -> new NoSuchElementException("there is no job '" + job + "' (looked for it from "
                        + (callerJob.contains("/") ? "folder " + callerJob.substring(0, callerJob.lastIndexOf('/')) : "the root")
                        + " as Jenkins resolves names: relative to this job's folder, then as a full name)"));
        if (quietPeriodSeconds > 0) {
            TimeUnit.SECONDS.sleep(quietPeriodSeconds);
        }
        BuildRecord b = controller.trigger(resolved, parameters, List.of(BuildCause.buildStep(callerJob, callerNumber)));
        return new Queued(resolved, b.number());
    }

    @Override
    public Outcome await(Queued build, boolean untilStarted) throws InterruptedException {
        BuildRecord b;
        try {
            b = waits.await(build.job(), build.number(), untilStarted);
        } catch (InterruptedException e) {
            controller.stop(build.job(), build.number());
            throw e;
        }
        BuildDetails d = builds.details(build.job(), build.number()).orElse(new BuildDetails(null, null, Map.of()));
        Result result = b.result() == null ? null : Result.valueOf(b.result());
        return new Outcome(build.job(), build.number(), result, b.startedAt() == null ? 0 : b.startedAt().toEpochMilli(),
                b.durationMillis(), d.displayName() == null ? "#" + b.number() : d.displayName(), d.description(),
                BuildUrls.build(root.get(), build.job(), build.number()), result == null ? Map.of() : d.variables());
    }
}
