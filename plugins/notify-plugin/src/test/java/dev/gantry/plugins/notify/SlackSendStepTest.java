package dev.gantry.plugins.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.Result;
import dev.gantry.testkit.PluginTestKit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackSendStepTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void postsSlackJsonToTheIncomingWebhookOfTheCredentialWithoutLoggingIt() throws Exception {
        try (Receiver slack = new Receiver("ok")) {
            String webhook = slack.url("/services/T000/B000/XXXXSECRET");
            PluginTestKit.create().credential(Fixtures.secretText("slack-hook", webhook))
                    .run("node { def r = slackSend channel: '#builds', color: 'danger', message: 'Build *failed*', tokenCredentialId: 'slack-hook'\n"
                            + " echo \"ok ${r.ok} status ${r.status}\" }")
                    .assertSuccess()
                    .assertLogContains("slackSend: message posted to #builds (HTTP 200)")
                    .assertLogContains("ok true status 200")
                    .assertLogDoesNotContain("XXXXSECRET");
            Receiver.Received r = slack.next();
            assertEquals("/services/T000/B000/XXXXSECRET", r.path());
            assertEquals(Map.of("channel", "#builds", "attachments",
                    List.of(Map.of("color", "danger", "text", "Build *failed*", "fallback", "Build *failed*"))), JSON.readValue(r.body(), Map.class));
        }
    }

    @Test
    void withABotTokenPostsToChatPostMessageAndReturnsTheThread() throws Exception {
        try (Receiver slack = new Receiver("{\"ok\":true,\"channel\":\"C123\",\"ts\":\"1700000000.000100\"}")) {
            PluginTestKit.create().credential(Fixtures.secretText("slack-bot", "xoxb-secret-token"))
                    .run("node { def r = slackSend message: 'hello', channel: 'C123', tokenCredentialId: 'slack-bot', baseUrl: '" + slack.url("/api/") + "'\n"
                            + " echo \"thread ${r.threadId} channel ${r.channelId}\" }")
                    .assertSuccess()
                    .assertLogContains("thread C123:1700000000.000100 channel C123")
                    .assertLogDoesNotContain("xoxb-secret-token");
            Receiver.Received r = slack.next();
            assertEquals("/api/chat.postMessage", r.path());
            assertEquals("Bearer xoxb-secret-token", r.header("Authorization"));
            assertEquals(Map.of("channel", "C123", "text", "hello"), JSON.readValue(r.body(), Map.class));
        }
    }

    @Test
    void slackAnsweringOkFalseIsARefusal() throws Exception {
        try (Receiver slack = new Receiver("{\"ok\":false,\"error\":\"channel_not_found\"}")) {
            PluginTestKit.create().credential(Fixtures.secretText("slack-bot", "xoxb-secret-token"))
                    .run("node { slackSend message: 'hello', channel: '#nope', tokenCredentialId: 'slack-bot', baseUrl: '" + slack.base() + "', failOnError: true }")
                    .assertResult(Result.FAILURE)
                    .assertLogContains("refused the message: channel_not_found")
                    .assertLogDoesNotContain("xoxb-secret-token");
        }
    }

    @Test
    void aSlackThatIsDownWarnsWithoutTheWebhookUrl() throws Exception {
        String webhook = "http://127.0.0.1:" + Receiver.closedPort() + "/services/T1/B1/SECRETPART";
        PluginTestKit.create().credential(Fixtures.secretText("slack-hook", webhook))
                .run("node { withEnv(['GANTRY_NOTIFY_RETRIES=1', 'GANTRY_NOTIFY_BACKOFF_MS=1']) { slackSend message: 'x', tokenCredentialId: 'slack-hook' } }")
                .assertSuccess()
                .assertLogContains("WARNING: slackSend: cannot deliver to the Slack webhook of credential 'slack-hook' after 2 attempts")
                .assertLogDoesNotContain("SECRETPART");
    }
}
