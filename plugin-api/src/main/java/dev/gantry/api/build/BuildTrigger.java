package dev.gantry.api.build;

import dev.gantry.api.Result;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Starts builds of other jobs on behalf of the running build, and waits for them: what the
 * {@code build} step stands on. Only a controller offers it; a local run has no other jobs, so
 * {@link dev.gantry.api.step.StepContext#service} is empty there. Thread-safe.
 *
 * @since 0.2
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public interface BuildTrigger {

    /**
     * Queues a build of another job, caused by the calling build (its cause names the calling job
     * and build number).
     *
     * @param job the job as the pipeline names it: a full name ({@code team/api}), a name relative
     *     to the calling job's folder ({@code sibling}, {@code ../other}), or absolute ({@code /team/api}),
     *     resolved as Jenkins resolves item names
     * @param parameters the build's parameters by name (String, Boolean, Number values); never null
     * @param quietPeriodSeconds how long to wait before queueing; 0 queues at once
     * @return the queued build
     * @throws java.util.NoSuchElementException when no job has that name, naming what was looked for
     * @throws IllegalStateException when the controller is shutting down and starts no builds
     * @throws InterruptedException when the calling build is aborted during the quiet period
     */
    Queued queue(String job, Map<String, Object> parameters, int quietPeriodSeconds) throws InterruptedException;

    /**
     * Waits for a build queued by {@link #queue}.
     *
     * @param untilStarted true to return as soon as it runs, false to wait until it completes
     * @return the build as it is then; its result is null when it has not completed
     * @throws InterruptedException when the calling build is aborted while waiting: the build
     *     waited for is aborted (dequeued or stopped) before this throws, as Jenkins' build step does
     */
    Outcome await(Queued build, boolean untilStarted) throws InterruptedException;

    /**
     * A build queued by {@link #queue}.
     *
     * @param job the resolved full name of its job
     * @param number its number
     */
    record Queued(String job, int number) {
    }

    /**
     * A build as {@link #await} found it.
     *
     * @param job its job's full name
     * @param number its number
     * @param result its result, or null when it has not completed
     * @param startTimeMillis when it started (epoch milliseconds), or 0 when it has not
     * @param durationMillis how long it ran; 0 until it completed
     * @param displayName its display name ({@code #N} unless its pipeline set one)
     * @param description its description, or null
     * @param url its absolute URL, or null when the controller's address is not known
     * @param variables the variables its pipeline set ({@code env.X = ...}) and its parameters,
     *     once completed; empty before
     */
    record Outcome(String job, int number, Result result, long startTimeMillis, long durationMillis,
                   String displayName, String description, String url, Map<String, String> variables) {
        public Outcome {
            variables = variables == null ? Map.of() : Map.copyOf(variables);
        }
    }
}
