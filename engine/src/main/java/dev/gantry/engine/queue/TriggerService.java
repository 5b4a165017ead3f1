package dev.gantry.engine.queue;

import dev.gantry.api.build.BuildTrigger;
import dev.gantry.engine.pipeline.TriggerExtractor;
import dev.gantry.engine.server.ControllerService;
import dev.gantry.engine.store.BuildCause;
import dev.gantry.engine.store.Store;
import dev.gantry.engine.store.TriggerRow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every way one build starts another on the controller: {@code cron} and {@code upstream}
 * triggers and the {@code build} step. Installed once on a controller: it reads a job's triggers
 * from its script whenever the job is saved and stores them, runs the {@link CronScheduler},
 * starts downstream jobs when upstream builds complete, and gives each build the
 * {@link BuildTrigger} its {@code build} step uses.
 */
public final class TriggerService implements AutoCloseable {
    private final CronScheduler scheduler;
    private volatile String rootUrl;

    private TriggerService(CronScheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Hooks triggers into {@code controller} and starts the cron scheduler.
     *
     * @param clock the time and default time zone of cron schedules ({@link Clock#systemDefaultZone()}
     *     in the controller; tests pass a clock they move)
     * @return the service, to be closed before the controller
     */
    public static TriggerService install(ControllerService controller, Store store, Clock clock) {
        Objects.requireNonNull(controller, "controller");
        CronScheduler scheduler = new CronScheduler(store.triggers(),
                job -> controller.trigger(job, Map.of(), List.of(BuildCause.timer())), clock);
        TriggerService service = new TriggerService(scheduler);
        controller.onJobSaved(job -> store.triggers().replace(job.name(), rows(job.spec(), job.script())));
        BuildWaits waits = new BuildWaits(store.builds());
        controller.listener(waits);
        controller.listener(new UpstreamTriggers(controller, store.triggers()));
        controller.buildServices((build, run) -> run.service(BuildTrigger.class,
                new DownstreamBuilds(controller, store.builds(), waits, build.job(), build.number(), () -> service.rootUrl)));
        scheduler.start();
        return service;
    }

    /** Sets the controller's address ({@code http://host:port/}) for the URLs of downstream builds. */
    public void rootUrl(String url) {
        this.rootUrl = url;
    }

    /** The cron scheduler, for callers that move its clock and want it to look now. */
    public CronScheduler scheduler() {
        return scheduler;
    }

    /**
     * The triggers to store for a job: those of its pipeline {@code script} (null or empty: none),
     * with each kind the definition {@code spec} declares replacing the pipeline's of that kind.
     */
    public static List<TriggerRow> rows(dev.gantry.engine.jobs.JobSpec spec, String script) {
        dev.gantry.engine.jobs.JobTriggers declared = spec.triggers();
        List<TriggerRow> rows = new ArrayList<>();
        if (declared.cron() != null) {
            rows.add(new TriggerRow(null, "cron", declared.cron(), null, null));
        }
        if (declared.pollScm() != null) {
            rows.add(new TriggerRow(null, "pollSCM", declared.pollScm(), null, null));
        }
        if (declared.upstreamProjects() != null) {
            rows.add(new TriggerRow(null, "upstream", null, declared.upstreamProjects(), declared.threshold()));
        }
        List<TriggerExtractor.Trigger> fromScript = script == null || script.isBlank() ? List.of() : TriggerExtractor.extract(script);
        for (TriggerRow r : rows(fromScript)) {
            boolean replaced = switch (r.kind()) {
                case "cron" -> declared.cron() != null;
                case "pollSCM" -> declared.pollScm() != null;
                case "upstream" -> declared.upstreamProjects() != null;
                default -> false;
            };
            if (!replaced) {
                rows.add(r);
            }
        }
        return rows;
    }

    static List<TriggerRow> rows(List<TriggerExtractor.Trigger> triggers) {
        List<TriggerRow> rows = new ArrayList<>();
        for (TriggerExtractor.Trigger t : triggers) {
            rows.add(new TriggerRow(null, t.kind(), t.spec(), t.upstreamProjects(), t.threshold()));
        }
        return rows;
    }

    /** Stops the cron scheduler. */
    @Override
    public void close() {
        scheduler.close();
    }
}
