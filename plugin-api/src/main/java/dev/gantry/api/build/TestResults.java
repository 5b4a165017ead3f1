package dev.gantry.api.build;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The test results a build recorded ({@code junit}). Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface TestResults {

    /** Adds test cases, attributed to the stage that recorded them (may be null). */
    void add(String stage, List<TestCaseResult> cases);

    /** Totals so far. */
    Summary summary();

    /** Counts of test cases. */
    record Summary(int total, int failed, int skipped) {
        public int passed() {
            return total - failed - skipped;
        }
    }
}
