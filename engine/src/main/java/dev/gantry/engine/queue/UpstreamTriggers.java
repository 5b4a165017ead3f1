package dev.gantry.engine.queue;

import dev.gantry.api.Result;
import dev.gantry.engine.server.BuildListener;
import dev.gantry.engine.server.ControllerService;
import dev.gantry.engine.store.BuildCause;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.TriggerRepository;
import dev.gantry.engine.store.TriggerRow;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code upstream(upstreamProjects: 'a,team/b', threshold: ...)}: when a build completes with a
 * result at least as good as a trigger's threshold, as Jenkins' {@code ReverseBuildTrigger}
 * decides it, the job with the trigger is queued with an upstream cause. Names are resolved from
 * the triggered job's folder ({@link JobPaths}). A job never triggers itself.
 */
final class UpstreamTriggers implements BuildListener {
    private static final System.Logger LOG = System.getLogger(UpstreamTriggers.class.getName());
    private final ControllerService controller;
    private final TriggerRepository triggers;

    UpstreamTriggers(ControllerService controller, TriggerRepository triggers) {
        this.controller = controller;
        this.triggers = triggers;
    }

    @Override
    public void completed(BuildRecord build) {
        try {
            fire(build);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot start the jobs downstream of " + build.job() + " #" + build.number() + ": " + e.getMessage());
        }
    }

    private void fire(BuildRecord build) {
        if (build.result() == null) {
            return;
        }
        Result result = Result.valueOf(build.result());
        Set<String> downstream = new LinkedHashSet<>();
        for (TriggerRow t : triggers.ofKind("upstream")) {
            if (t.job().equals(build.job()) || downstream.contains(t.job())) {
                continue;
            }
            Result threshold = Result.parse(t.threshold() == null ? "SUCCESS" : t.threshold());
            if (result.isWorseThan(threshold)) {
                continue;
            }
            for (String name : t.upstreamProjects().split(",")) {
                if (!lastPart(name.strip()).equals(lastPart(build.job()))) {
                    continue;
                }
                String resolved = JobPaths.resolve(name, t.job(), n -> controller.job(n).isPresent()).orElse(null);
                if (build.job().equals(resolved)) {
                    downstream.add(t.job());
                    break;
                }
            }
        }
        for (String job : downstream) {
            BuildRecord b = controller.trigger(job, Map.of(), List.of(BuildCause.upstream(build.job(), build.number())));
            LOG.log(System.Logger.Level.INFO, build.job() + " #" + build.number() + " (" + result + ") started " + job + " #" + b.number());
        }
    }

    private static String lastPart(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }
}
