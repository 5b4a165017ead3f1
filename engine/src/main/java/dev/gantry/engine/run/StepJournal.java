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

    /** Records the outcome of a step call; a second record for the same id replaces nothing and is ignored. */
    void record(String id, StepOutcome outcome);

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
