package dev.gantry.plugins.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.Result;
import dev.gantry.testkit.PluginTestKit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSendStepTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "hmac-key-7f3a9c";
    /** Fast retries: the tests wait milliseconds, not seconds. */
    private static final String FAST = "withEnv(['GANTRY_NOTIFY_BACKOFF_MS=5']) {\n";

    @Test
    void sendsTheJsonBodySignedWithTheKeyOfTheCredential() throws Exception {
        try (Receiver hook = new Receiver("{\"accepted\":true}")) {
            PluginTestKit.create().credential(Fixtures.secretText("hook-key", KEY))
                    .run("node { def r = webhookSend url: '" + hook.url("/hooks/build") + "', credentialsId: 'hook-key',"
                            + " body: [job: 'api', number: 7, tags: ['a', \"b${1 + 1}\"]]\n echo \"status ${r.status} ok ${r.ok} body ${r.body}\" }")
                    .assertSuccess()
                    .assertLogContains("status 200 ok true body {\"accepted\":true}")
                    .assertLogContains("webhookSend: POST to " + hook.url("/hooks/build") + ", signed, answered HTTP 200")
                    .assertLogDoesNotContain(KEY);
            Receiver.Received r = hook.next();
            assertEquals("POST", r.method());
            assertEquals("/hooks/build", r.path());
            assertEquals(Map.of("job", "api", "number", 7, "tags", List.of("a", "b2")), JSON.readValue(r.body(), Map.class));
            assertEquals(Fixtures.hmac(KEY, r.body()), r.header("X-Gantry-Signature-256"));
            assertEquals("application/json; charset=utf-8", r.header("Content-Type"));
        }
    }

    @Test
    void aStringBodyIsSentAsItIsAndWithoutKeyUnsigned() throws Exception {
        try (Receiver hook = new Receiver("")) {
            PluginTestKit.create()
                    .run("node { webhookSend url: '" + hook.url("/h") + "', method: 'PUT', body: '{\"a\": [1, 2]}', headers: ['X-Team': 'core'] }")
                    .assertSuccess();
            Receiver.Received r = hook.next();
            assertEquals("PUT", r.method());
            assertEquals("{\"a\": [1, 2]}", r.body());
            assertEquals("core", r.header("X-Team"));
            assertEquals(null, r.header("X-Gantry-Signature-256"));
        }
    }

    @Test
    void aBodyThatIsNotJsonFailsTheStepWhateverFailOnErrorSays() throws Exception {
        try (Receiver hook = new Receiver("")) {
            PluginTestKit.create().run("node { webhookSend url: '" + hook.url("/h") + "', body: '{not json' }")
                    .assertResult(Result.FAILURE)
                    .assertLogContains("webhookSend: the body is not valid JSON");
            assertEquals(0, hook.pending());
        }
    }

    @Test
    void retriesWithBackoffWhenTheReceiverAnswers500TwiceThen200() throws Exception {
        try (Receiver hook = new Receiver("{}", 500, 500, 200)) {
            PluginTestKit.create()
                    .run("node { " + FAST + "def r = webhookSend url: '" + hook.url("/flaky") + "'\n echo \"attempts ${r.attempts}\" } }")
                    .assertSuccess()
                    .assertLogContains("webhookSend: attempt 1 of 4 to reach " + hook.url("/flaky") + " failed (HTTP 500: {}); trying again in 5 ms")
                    .assertLogContains("webhookSend: attempt 2 of 4 to reach " + hook.url("/flaky") + " failed (HTTP 500: {}); trying again in 10 ms")
                    .assertLogContains("attempts 3");
            for (int i = 0; i < 3; i++) {
                assertEquals("/flaky", hook.next().path());
            }
        }
    }

    @Test
    void aReceiverThatStaysDownWarnsAndTheBuildGoesOn() throws Exception {
        int port = Receiver.closedPort();
        PluginTestKit.create()
                .run("node { " + FAST + "def r = webhookSend url: 'http://127.0.0.1:" + port + "/x'\n echo \"ok ${r.ok}\" }\n echo 'after' }")
                .assertSuccess()
                .assertLogContains("WARNING: webhookSend: cannot deliver to http://127.0.0.1:" + port + "/x after 4 attempts: ConnectException")
                .assertLogContains("the build goes on (failOnError: true would fail it)")
                .assertLogContains("ok false")
                .assertLogContains("after");
    }

    @Test
    void aReceiverThatIsDownFailsTheBuildWhenTheStepSaysFailOnError() throws Exception {
        int port = Receiver.closedPort();
        PluginTestKit.create()
                .run("node { " + FAST + "webhookSend url: 'http://127.0.0.1:" + port + "/x', failOnError: true }\n echo 'not reached' }")
                .assertResult(Result.FAILURE)
                .assertLogContains("webhookSend: cannot deliver to http://127.0.0.1:" + port + "/x after 4 attempts")
                .assertLogDoesNotContain("not reached");
    }

    @Test
    void aRefusalIsNotRetried() throws Exception {
        try (Receiver hook = new Receiver("{\"error\":\"bad payload\"}", 400)) {
            PluginTestKit.create().run("node { webhookSend url: '" + hook.url("/x") + "', failOnError: true }")
                    .assertResult(Result.FAILURE)
                    .assertLogContains("refused the request with HTTP 400: {\"error\":\"bad payload\"} (not retried");
            hook.next();
            assertEquals(0, hook.pending());
        }
    }

    @Test
    void aWebhookUrlFromACredentialNeverAppearsInTheLog() throws Exception {
        int port = Receiver.closedPort();
        String secretUrl = "http://127.0.0.1:" + port + "/hooks/T0K3N-s3cr3t-path";
        try (Receiver hook = new Receiver("{}", 404)) {
            String refusing = hook.url("/hooks/0THER-s3cr3t-path?sig=abc");
            PluginTestKit.TestRun run = PluginTestKit.create()
                    .credential(Fixtures.secretText("down-url", secretUrl))
                    .credential(Fixtures.secretText("refusing-url", refusing))
                    .run("node { " + FAST + "webhookSend urlCredentialsId: 'down-url'\n"
                            + "webhookSend urlCredentialsId: 'refusing-url'\n"
                            + "webhookSend urlCredentialsId: 'down-url', failOnError: true } }")
                    .assertResult(Result.FAILURE)
                    .assertLogContains("cannot deliver to the webhook URL of credential 'down-url' after 4 attempts")
                    .assertLogContains("the webhook URL of credential 'refusing-url' refused the request with HTTP 404");
            for (String secret : List.of(secretUrl, refusing, "T0K3N-s3cr3t-path", "0THER-s3cr3t-path", "/hooks/")) {
                run.assertLogDoesNotContain(secret);
            }
        }
    }

    @Test
    void urlAndUrlCredentialsIdTogetherAreRefused() {
        PluginTestKit.create().credential(Fixtures.secretText("u", "http://127.0.0.1:1/x"))
                .run("node { webhookSend url: 'http://127.0.0.1:1/y', urlCredentialsId: 'u' }")
                .assertResult(Result.FAILURE)
                .assertLogContains("webhookSend needs either url: or urlCredentialsId: (a credential holding the URL), not both");
    }

    @Test
    void anUnknownCredentialFailsTheStepNamingIt() {
        PluginTestKit.create().run("node { webhookSend url: 'http://127.0.0.1:1/y', credentialsId: 'nope' }")
                .assertResult(Result.FAILURE)
                .assertLogContains("no credential 'nope' for the webhook signing key");
    }
}
