package dev.gantry.engine.run;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The journal of a local {@code gantry run}: outcomes live as long as the process. */
public final class InMemoryStepJournal implements StepJournal {
    private final Map<String, StepOutcome> outcomes = new ConcurrentHashMap<>();

    @Override
    public Optional<StepOutcome> lookup(String id) {
        return Optional.ofNullable(outcomes.get(id));
    }

    @Override
    public void record(String id, StepOutcome outcome) {
        outcomes.putIfAbsent(id, outcome);
    }
}
