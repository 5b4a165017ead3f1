package dev.gantry.engine.testresults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.build.TestCaseResult;
import dev.gantry.api.build.TestCaseResult.Status;
import dev.gantry.api.build.TestResults.Summary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class InMemoryTestResultsTest {

    private static TestCaseResult result(String name, Status status) {
        return new TestCaseResult("suite", "com.example.T", name, status, 0.1, null, null);
    }

    @Test
    void summaryCountsCasesByStatusAndKeepsTheirStage() {
        InMemoryTestResults results = new InMemoryTestResults();
        results.add("Unit", List.of(result("a", Status.PASSED), result("b", Status.FAILED), result("c", Status.SKIPPED)));
        results.add(null, List.of(result("d", Status.FAILED)));
        results.add("Empty", List.of());

        assertEquals(new Summary(4, 2, 1), results.summary());
        assertEquals(1, results.summary().passed());
        assertEquals(List.of(new InMemoryTestResults.Entry("Unit", result("a", Status.PASSED)),
                new InMemoryTestResults.Entry("Unit", result("b", Status.FAILED)),
                new InMemoryTestResults.Entry("Unit", result("c", Status.SKIPPED)),
                new InMemoryTestResults.Entry(null, result("d", Status.FAILED))), results.cases());
    }

    @Test
    void aBatchWithANullCaseAddsNothing() {
        InMemoryTestResults results = new InMemoryTestResults();

        assertThrows(NullPointerException.class,
                () -> results.add("s", Arrays.asList(result("a", Status.PASSED), null)));

        assertEquals(new Summary(0, 0, 0), results.summary());
        assertEquals(List.of(), results.cases());
    }

    @Test
    void casesIsASnapshotThatLaterAddsDoNotChange() {
        InMemoryTestResults results = new InMemoryTestResults();
        results.add("s", List.of(result("a", Status.PASSED)));
        List<InMemoryTestResults.Entry> snapshot = results.cases();

        results.add("s", List.of(result("b", Status.PASSED)));

        assertEquals(1, snapshot.size());
        assertThrows(UnsupportedOperationException.class, () -> snapshot.add(snapshot.get(0)));
    }

    @Test
    void concurrentAddsAreAllKeptWithConsistentSummaries() throws InterruptedException {
        InMemoryTestResults results = new InMemoryTestResults();
        int threads = 16;
        int batches = 200;
        CountDownLatch go = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String stage = "stage-" + t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int b = 0; b < batches; b++) {
                        results.add(stage, List.of(result(stage + "-" + b + "-pass", Status.PASSED),
                                result(stage + "-" + b + "-fail", Status.FAILED),
                                result(stage + "-" + b + "-skip", Status.SKIPPED)));
                        Summary s = results.summary();
                        // Batches are atomic: every summary sees whole batches of one pass, one fail, one skip.
                        if (s.total() != 3 * s.failed() || s.failed() != s.skipped()) {
                            problems.add("torn summary " + s);
                        }
                    }
                } catch (InterruptedException e) {
                    problems.add("interrupted");
                }
            }));
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }

        assertTrue(problems.isEmpty(), problems::toString);
        assertEquals(new Summary(threads * batches * 3, threads * batches, threads * batches), results.summary());
        List<InMemoryTestResults.Entry> cases = results.cases();
        assertEquals(threads * batches * 3, cases.size());
        assertEquals(threads * batches * 3, cases.stream().map(e -> e.testCase().name()).distinct().count());
        for (InMemoryTestResults.Entry e : cases) {
            assertTrue(e.testCase().name().startsWith(e.stage() + "-"), e.toString());
        }
    }
}
