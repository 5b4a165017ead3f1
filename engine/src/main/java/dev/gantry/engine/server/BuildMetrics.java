package dev.gantry.engine.server;

import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.web.Metrics;

/**
 * The controller's build figures in {@code /metrics}: builds started and completed by result,
 * build duration and queue wait histograms, queue length, builds running. (Executors belong to
 * nodes: the agent service reports them.)
 */
public final class BuildMetrics implements BuildListener {
    private static final double[] SECONDS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600};
    private final Metrics.Counter started;
    private final Metrics.Counter completed;
    private final Metrics.Histogram duration;
    private final Metrics.Histogram wait;

    private BuildMetrics(Metrics m, ControllerService controller) {
        started = m.counter("gantry_builds_started_total", "Builds that left the queue and started.");
        completed = m.counter("gantry_builds_completed_total", "Builds that ended, by result.", "result");
        duration = m.histogram("gantry_build_duration_seconds", "How long builds ran.", SECONDS);
        wait = m.histogram("gantry_queue_wait_seconds", "How long builds waited in the queue.", SECONDS);
        m.gauge("gantry_queue_length", "Builds waiting for an executor.").bind(controller::queueLength);
        m.gauge("gantry_builds_running", "Builds running now (those waiting for an executor on a node included).").bind(controller::runningCount);
    }

    /** Registers the figures in {@code metrics} and makes the controller report to them. */
    public static void register(Metrics metrics, ControllerService controller) {
        controller.listener(new BuildMetrics(metrics, controller));
    }

    @Override
    public void started(BuildRecord build, long queuedMillis) {
        started.inc();
        wait.observe(queuedMillis / 1000.0);
    }

    @Override
    public void completed(BuildRecord build) {
        completed.inc(build.result() == null ? "UNKNOWN" : build.result());
        duration.observe(build.durationMillis() / 1000.0);
    }
}
