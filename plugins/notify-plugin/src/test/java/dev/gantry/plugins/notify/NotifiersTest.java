package dev.gantry.plugins.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gantry.api.Result;
import dev.gantry.api.notify.BuildEvent;
import dev.gantry.api.notify.Notifier;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** The notifiers as the controller calls them: an ended build, a rule's settings, a secret resolver. */
class NotifiersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BuildEvent FAILED = new BuildEvent("team/api", 12, Result.FAILURE, Result.SUCCESS, 63_000, "http://ci.test/job/team/job/api/12/");
    private static final Map<String, String> SECRETS = Map.of("hook-key", "notifier-hmac-key", "slack", "xoxb-notifier-token",
            "gh", "ghp_notifier", "hook-url", "http://127.0.0.1:1/never");

    private static final Notifier.SecretResolver RESOLVER = id -> {
        String s = SECRETS.get(id);
        if (s == null) {
            throw new NoSuchElementException("no credential '" + id + "'");
        }
        return s;
    };

    @Test
    void theWebhookNotifierPostsTheBuildSigned() throws Exception {
        try (Receiver hook = new Receiver("{}")) {
            new WebhookNotifier().notify(FAILED, Map.of("url", hook.url("/build"), "credentialsId", "hook-key"), RESOLVER);
            Receiver.Received r = hook.next();
            Map<String, Object> expected = new HashMap<>();
            expected.put("job", "team/api");
            expected.put("number", 12);
            expected.put("result", "FAILURE");
            expected.put("previousResult", "SUCCESS");
            expected.put("durationMillis", 63_000);
            expected.put("url", "http://ci.test/job/team/job/api/12/");
            expected.put("fixed", false);
            expected.put("regression", true);
            assertEquals(expected, JSON.readValue(r.body(), Map.class));
            assertEquals(Fixtures.hmac("notifier-hmac-key", r.body()), r.header("X-Gantry-Signature-256"));
            assertEquals("build-completed", r.header("X-Gantry-Event"));
        }
    }

    @Test
    void aNotifierMakesOneAttemptAndThrowsIOExceptionForTheEngineToRetry() throws Exception {
        try (Receiver hook = new Receiver("{}", 503, 200)) {
            IOException e = assertThrows(IOException.class,
                    () -> new WebhookNotifier().notify(FAILED, Map.of("url", hook.url("/build")), RESOLVER));
            assertTrue(e.getMessage().contains("after 1 attempt: HTTP 503"), e.getMessage());
            hook.next();
            assertEquals(0, hook.pending());
        }
    }

    @Test
    void aSecretWebhookUrlIsNotInTheExceptionOfAnUnreachableEndpoint() {
        IOException e = assertThrows(IOException.class,
                () -> new WebhookNotifier().notify(FAILED, Map.of("urlCredentialsId", "hook-url"), RESOLVER));
        assertTrue(e.getMessage().startsWith("cannot deliver to the webhook URL of credential 'hook-url' after 1 attempt"), e.getMessage());
        assertFalse(e.getMessage().contains("/never"), e.getMessage());
    }

    @Test
    void anUnknownCredentialIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SlackNotifier().notify(FAILED, Map.of("tokenCredentialId", "nope"), RESOLVER));
        assertTrue(e.getMessage().startsWith("no credential 'nope' for the Slack webhook URL or token"), e.getMessage());
    }

    @Test
    void theSlackNotifierColorsTheMessageByResult() throws Exception {
        try (Receiver slack = new Receiver("{\"ok\":true}")) {
            new SlackNotifier().notify(FAILED, Map.of("tokenCredentialId", "slack", "channel", "#ci", "baseUrl", slack.base()), RESOLVER);
            Receiver.Received r = slack.next();
            assertEquals("Bearer xoxb-notifier-token", r.header("Authorization"));
            String text = "FAILURE: team/api #12 (regression) after 1 min 3 s: http://ci.test/job/team/job/api/12/";
            assertEquals(Map.of("channel", "#ci", "attachments", List.of(Map.of("color", "danger", "text", text, "fallback", text))),
                    JSON.readValue(r.body(), Map.class));
        }
    }

    @Test
    void theCommitStatusNotifierSetsTheResultOnTheCommit() throws Exception {
        try (Receiver github = new Receiver("{}", 201)) {
            new CommitStatusNotifier().notify(FAILED, Map.of("provider", "github", "apiUrl", github.base(), "repository", "acme/api",
                    "sha", "abcdef1234567", "credentialsId", "gh"), RESOLVER);
            Receiver.Received r = github.next();
            assertEquals("/repos/acme/api/statuses/abcdef1234567", r.path());
            assertEquals(Map.of("state", "failure", "context", "gantry", "target_url", "http://ci.test/job/team/job/api/12/",
                    "description", "FAILURE: team/api #12 (regression) after 1 min 3 s"), JSON.readValue(r.body(), Map.class));
        }
    }

    @Test
    void theMailNotifierUsesTheControllersSmtpSettings() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            System.setProperty("gantry.smtp.host", "127.0.0.1");
            System.setProperty("gantry.smtp.port", String.valueOf(smtp.getSmtp().getPort()));
            new MailNotifier().notify(FAILED, Map.of("to", List.of("a@example.test", "b@example.test")), RESOLVER);
            assertTrue(smtp.waitForIncomingEmail(10_000, 2));
            MimeMessage m = smtp.getReceivedMessages()[0];
            assertEquals("FAILURE: team/api #12 (regression) after 1 min 3 s", m.getSubject());
            assertTrue(((String) m.getContent()).contains("http://ci.test/job/team/job/api/12/"));
        } finally {
            System.clearProperty("gantry.smtp.host");
            System.clearProperty("gantry.smtp.port");
            smtp.stop();
        }
    }
}
