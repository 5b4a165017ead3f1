package dev.gantry.engine.run;

/**
 * When the current step call first started, as wall-clock time from the build's journal: a step
 * that waits ({@code sleep}, {@code timeout}) counts its deadline from it, so that the deadline
 * survives a controller restart instead of starting over. Offered to steps as a service
 * ({@code StepContext.service(StepStart.class)}) by the engine's builds.
 */
@FunctionalInterface
public interface StepStart {
    /** Epoch millis of the call's first start; the same for every ask, also after a restart. Thread-safe. */
    long firstStartMillis();
}
