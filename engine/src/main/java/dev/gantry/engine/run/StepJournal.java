package dev.gantry.engine.run;

import java.util.Optional;

/**
 * Where every step outcome is recorded before the script sees it, by the step call's
 * deterministic id. Replaying a script against a journal returns recorded outcomes without running
 * the steps again: this is how a build resumes after a controller restart. Implementations are
 * thread-safe (parallel branches record concurrently).
 */
public interface StepJournal {

    /** The recorded outcome of the step call {@code id}, if any. */
    Optional<StepOutcome> lookup(String id);

    /**
     * Records the outcome of a step call; a second record for the same id replaces nothing and is ignored.
     *
     * @throws dev.gantry.api.step.StepFailedException naming the step when its value cannot be
     *     journaled ({@link JournalValues})
     */
    void record(String id, StepOutcome outcome);

    /**
     * Records the outcome of a step call whose only effect is on the build itself (its log, its
     * result) when {@code deferrable}: a journal may then write it later, with the next record
     * (group commit), since running such a call again after a crash changes nothing outside the
     * build. The default records it at once.
     */
    default void record(String id, StepOutcome outcome, boolean deferrable) {
        record(id, outcome);
    }

    /**
     * The wall-clock time (epoch millis) the step call {@code id} first started, recorded on the
     * first ask: {@code sleep} and {@code timeout} count from it, so that their deadlines survive
     * a restart. The default (a journal that does not outlive the process) answers now.
     */
    default long firstStartMillis(String id) {
        return System.currentTimeMillis();
    }

    /**
     * The pipeline asked not to be resumed ({@code options { disableResume() }}): after a restart
     * the build ends ABORTED instead. The default ignores it.
     */
    default void disableResume() {
    }

    /**
     * A step call made the build's (or with {@code stage}, its stage's) result worse; replaying the
     * call makes it worse again. The default (a journal that does not outlive the process) ignores it.
     */
    default void recordResult(String id, String result, boolean stage) {
    }

    /** The results step call {@code id} set, in order, as {@link #recordResult} recorded them; empty when none. */
    default java.util.List<ResultChange> results(String id) {
        return java.util.List.of();
    }

    /**
     * Whether the journal takes no more records (the build is being suspended for a shutdown and
     * resumes at the next start). The default: never.
     */
    default boolean sealed() {
        return false;
    }

    /** Where the block {@code key} (a {@code node} call, a declarative agent) ran before a restart, if journaled. */
    default Optional<NodeProvider.Placement> placement(String key) {
        return Optional.empty();
    }

    /** Records where the block {@code key} runs, before its steps send work there. The default ignores it. */
    default void recordPlacement(String key, NodeProvider.Placement placement) {
    }

    /**
     * Records that the process task {@code taskId} (a step call's deterministic task id) was handed
     * to the agent {@code launch.node()}, written before the agent can get it: after a restart, a
     * replayed call that finds this record re-attaches to the task and never starts it again; when
     * the agent no longer has it (it died with its processes), the call fails as that agent gone
     * offline. The default (a journal that does not outlive the process) ignores it.
     */
    default void recordLaunch(String taskId, Launch launch) {
    }

    /** Where the task {@code taskId} was handed before a restart, if journaled ({@link #recordLaunch}). */
    default Optional<Launch> launch(String taskId) {
        return Optional.empty();
    }

    /**
     * Where a step call's process task went: the agent's name and the id of the agent's process
     * (its instance, new at each start of the agent), or null when not known.
     */
    record Launch(String node, String instance) {
    }

    /** A result a step call set: for the build, or with {@code stage} for its stage. */
    record ResultChange(String result, boolean stage) {
    }

    /**
     * The outcome of one step call: a journal-friendly value, or a failure (exception type and
     * message, and for interruptions the result).
     */
    record StepOutcome(String stepName, Object value, String failureType, String failureMessage, String interruptResult) {
        static StepOutcome success(String step, Object value) {
            return new StepOutcome(step, value, null, null, null);
        }

        boolean failed() {
            return failureType != null;
        }
    }
}
