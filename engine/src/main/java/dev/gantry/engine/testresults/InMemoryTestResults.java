package dev.gantry.engine.testresults;

import dev.gantry.api.build.TestCaseResult;
import dev.gantry.api.build.TestResults;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The test results of one build, held in memory: what {@code junit} records, for the summary,
 * the run report and the REST API. Cases keep the order in which they were added; one
 * {@link #add} call is atomic. Thread-safe (parallel branches record concurrently).
 */
public final class InMemoryTestResults implements TestResults {

    /**
     * One recorded test case with the stage that recorded it.
     *
     * @param stage the innermost stage at the time of recording, or null outside any stage
     * @param testCase the test case; never null
     */
    public record Entry(String stage, TestCaseResult testCase) {
        public Entry {
            Objects.requireNonNull(testCase, "testCase");
        }
    }

    private final Object lock = new Object();
    private final List<Entry> entries = new ArrayList<>();
    private int failed;
    private int skipped;

    /**
     * Adds {@code cases}, attributed to {@code stage}.
     *
     * @param stage the recording stage, or null
     * @param cases the cases to add; neither the list nor an element may be null
     * @throws NullPointerException when {@code cases} or one of its elements is null (nothing is added then)
     */
    @Override
    public void add(String stage, List<TestCaseResult> cases) {
        Objects.requireNonNull(cases, "cases");
        List<Entry> batch = new ArrayList<>(cases.size());
        int batchFailed = 0;
        int batchSkipped = 0;
        for (TestCaseResult c : cases) {
            batch.add(new Entry(stage, c));
            switch (c.status()) {
                case FAILED -> batchFailed++;
                case SKIPPED -> batchSkipped++;
                case PASSED -> { }
            }
        }
        synchronized (lock) {
            entries.addAll(batch);
            failed += batchFailed;
            skipped += batchSkipped;
        }
    }

    /** Totals over every case added so far; consistent (taken at one moment). */
    @Override
    public Summary summary() {
        synchronized (lock) {
            return new Summary(entries.size(), failed, skipped);
        }
    }

    /** A snapshot of every case added so far, in the order added; immutable. */
    public List<Entry> cases() {
        synchronized (lock) {
            return List.copyOf(entries);
        }
    }
}
