package dev.gantry.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.api.notify.BuildEvent;
import dev.gantry.api.notify.Notifier;
import dev.gantry.engine.store.BuildDetails;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.NotificationRule;
import dev.gantry.engine.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationDispatcherTest {

    /** What a notifier was called with. */
    record Call(String notifier, BuildEvent event, Map<String, Object> settings) {
    }

    /** A notifier that records its calls and fails with IOException the first {@code failures} times. */
    static final class Recording implements Notifier {
        final String id;
        final BlockingQueue<Call> calls;
        final AtomicInteger failures;
        final AtomicInteger attempts = new AtomicInteger();

        Recording(String id, BlockingQueue<Call> calls, int failures) {
            this.id = id;
            this.calls = calls;
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void notify(BuildEvent event, Map<String, Object> settings, SecretResolver secrets) throws IOException {
            attempts.incrementAndGet();
            if (failures.getAndDecrement() > 0) {
                throw new IOException("endpoint down");
            }
            calls.add(new Call(id, event, settings));
        }
    }

    @TempDir
    Path home;
    Store store;
    final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    Recording webhook;
    Recording slack;
    NotificationDispatcher dispatcher;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(home);
        store.jobs().save("team/api", "pipeline { }", 0L);
        webhook = new Recording("webhook", calls, 0);
        slack = new Recording("slack", calls, 2);
        dispatcher = new NotificationDispatcher(store.notificationRules(), store.builds(), () -> List.of(webhook, slack), 3, 1);
        dispatcher.rootUrl("http://ci.test/");
    }

    @AfterEach
    void close() {
        dispatcher.close();
        store.close();
    }

    private BuildRecord build(String result) {
        BuildRecord b = store.builds().create("team/api", Map.of(), "Started by user");
        store.builds().markRunning("team/api", b.number(), Instant.now());
        store.builds().complete("team/api", b.number(), result, 1500, List.of(), Map.of(), List.of());
        return store.builds().find("team/api", b.number()).orElseThrow();
    }

    private Call next() throws InterruptedException {
        Call c = calls.poll(10, TimeUnit.SECONDS);
        assertNotNull(c, "no notification within 10 s");
        return c;
    }

    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (dispatcher.busy()) {
            assertTrue(System.nanoTime() < deadline, "notifications still running after 10 s");
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void aJobsFailureRuleSendsTheEventWithTheBuildsVariablesFilledIn() throws Exception {
        store.notificationRules().replace("team/api", List.of(new NotificationRule("webhook", List.of("failure"),
                Map.of("url", "http://hooks.test/${JOB_NAME}", "sha", "${GIT_COMMIT}", "keep", "${UNKNOWN}", "list", List.of("#${BUILD_NUMBER}")))));
        dispatcher.completed(build("SUCCESS"));
        BuildRecord failed = build("FAILURE");
        store.builds().saveDetails("team/api", failed.number(), new BuildDetails(null, null, Map.of("GIT_COMMIT", "abc1234")));
        dispatcher.completed(failed);
        Call c = next();
        assertEquals("webhook", c.notifier());
        assertEquals(new BuildEvent("team/api", 2, Result.FAILURE, Result.SUCCESS, 1500, "http://ci.test/api/v1/jobs/team/api/builds/2"), c.event());
        assertEquals(Map.of("url", "http://hooks.test/team/api", "sha", "abc1234", "keep", "${UNKNOWN}", "list", List.of("#2")), c.settings());
        awaitIdle();
        assertNull(calls.poll(), "the successful build matched no rule");
    }

    @Test
    void fixedRegressionAndAlwaysFollowTheResultsInOrder() throws Exception {
        store.notificationRules().replace("team", List.of(new NotificationRule("webhook", List.of("fixed", "regression"), Map.of())));
        List<String> outcomes = List.of("SUCCESS", "FAILURE", "FAILURE", "SUCCESS", "SUCCESS", "UNSTABLE");
        for (String result : outcomes) {
            dispatcher.completed(build(result));
            awaitIdle();
        }
        assertEquals(2, next().event().number(), "the regression");
        assertEquals(4, next().event().number(), "the fix");
        assertEquals(6, next().event().number(), "unstable after success is a regression too");
        assertNull(calls.poll());
    }

    @Test
    void anIOExceptionIsRetriedWithBackoffAndTheBuildKeepsItsResult() throws Exception {
        store.notificationRules().replace("team/api", List.of(new NotificationRule("slack", List.of("always"), Map.of("channel", "#ci"))));
        BuildRecord b = build("SUCCESS");
        dispatcher.completed(b);
        Call c = next();
        assertEquals("slack", c.notifier());
        assertEquals(3, slack.attempts.get(), "two failures, then success");
        assertEquals("SUCCESS", store.builds().find("team/api", b.number()).orElseThrow().result());
    }

    @Test
    void retriesAreBounded() throws Exception {
        Recording down = new Recording("webhook", calls, Integer.MAX_VALUE);
        try (NotificationDispatcher d = new NotificationDispatcher(store.notificationRules(), store.builds(), () -> List.of(down), 2, 1)) {
            store.notificationRules().replace("team/api", List.of(new NotificationRule("webhook", List.of("always"), Map.of())));
            d.completed(build("FAILURE"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (d.busy()) {
                assertTrue(System.nanoTime() < deadline, "still retrying after 10 s");
                Thread.yield();
            }
            assertEquals(3, down.attempts.get(), "one attempt and two retries");
            assertNull(calls.poll());
        }
    }

    @Test
    void aRuleForANotifierNoPluginProvidesIsSkipped() throws Exception {
        store.notificationRules().replace("team/api", List.of(new NotificationRule("teams", List.of("always"), Map.of()),
                new NotificationRule("webhook", List.of("always"), Map.of())));
        dispatcher.completed(build("SUCCESS"));
        assertEquals("webhook", next().notifier());
    }
}
