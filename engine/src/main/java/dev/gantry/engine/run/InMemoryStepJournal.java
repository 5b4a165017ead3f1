package dev.gantry.engine.run;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The journal of a local {@code gantry run}: outcomes live as long as the process. Values are
 * checked as a persistent journal checks them, so that a pipeline that runs locally also resumes
 * on a controller.
 */
public final class InMemoryStepJournal implements StepJournal {
    private final Map<String, StepOutcome> outcomes = new ConcurrentHashMap<>();
    private final boolean checkValues;

    public InMemoryStepJournal() {
        this(true);
    }

    /** @param checkValues whether values are checked to be journal-friendly (off: the benchmark's baseline) */
    public InMemoryStepJournal(boolean checkValues) {
        this.checkValues = checkValues;
    }

    @Override
    public Optional<StepOutcome> lookup(String id) {
        return Optional.ofNullable(outcomes.get(id));
    }

    @Override
    public void record(String id, StepOutcome outcome) {
        if (checkValues && !outcome.failed()) {
            JournalValues.encode(outcome.stepName(), outcome.value());
        }
        outcomes.putIfAbsent(id, outcome);
    }
}
