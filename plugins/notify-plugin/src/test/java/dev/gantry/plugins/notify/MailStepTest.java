package dev.gantry.plugins.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.gantry.api.Result;
import dev.gantry.api.credentials.Credential;
import dev.gantry.testkit.PluginTestKit;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailStepTest {
    private GreenMail smtp;

    @BeforeEach
    void startSmtp() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    private String env() {
        return "withEnv(['GANTRY_SMTP_HOST=127.0.0.1', 'GANTRY_SMTP_PORT=" + smtp.getSmtp().getPort() + "', 'GANTRY_SMTP_FROM=ci@example.test']) {\n";
    }

    @Test
    void sendsHtmlMailWithAnAttachmentFromTheWorkspaceToEveryRecipient(@TempDir Path ws) throws Exception {
        Files.createDirectories(ws.resolve("reports"));
        Files.writeString(ws.resolve("reports/summary.txt"), "3 tests failed");
        Files.writeString(ws.resolve("reports/other.log"), "not attached");
        PluginTestKit.create().workspace(ws)
                .run("node { " + env() + "def r = mail to: 'dev@example.test, Ada <ada@example.test>', cc: 'lead@example.test', bcc: 'audit@example.test',"
                        + " replyTo: 'team@example.test', subject: 'Build #1 failed', body: '<b>3 tests failed</b>', mimeType: 'text/html',"
                        + " attachmentsPattern: 'reports/*.txt'\n echo \"sent ${r.recipients} ${r.attachments}\" } }")
                .assertSuccess()
                .assertLogContains("mail: 'Build #1 failed' sent to 4 recipient(s) through SMTP 127.0.0.1:" + smtp.getSmtp().getPort() + " with 1 attachment(s)")
                .assertLogContains("sent 4 [summary.txt]");
        assertTrue(smtp.waitForIncomingEmail(10_000, 4), "GreenMail received fewer than 4 copies");
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertEquals("Build #1 failed", m.getSubject());
        assertEquals(List.of("ci@example.test"), addresses(m.getFrom()));
        assertEquals(List.of("dev@example.test", "ada@example.test"), addresses(m.getRecipients(Message.RecipientType.TO)));
        assertEquals(List.of("lead@example.test"), addresses(m.getRecipients(Message.RecipientType.CC)));
        assertEquals(null, m.getRecipients(Message.RecipientType.BCC), "Bcc must not be in the headers");
        assertEquals(List.of("team@example.test"), addresses(m.getReplyTo()));
        // One copy per recipient, the blind one included.
        assertEquals(4, smtp.getReceivedMessages().length);
        Multipart parts = (Multipart) m.getContent();
        assertEquals(2, parts.getCount());
        Part text = parts.getBodyPart(0);
        assertTrue(text.isMimeType("text/html"), "body type: " + text.getContentType());
        assertEquals("<b>3 tests failed</b>", text.getContent());
        Part attachment = parts.getBodyPart(1);
        assertEquals("summary.txt", attachment.getFileName());
        assertEquals(Part.ATTACHMENT, attachment.getDisposition());
        assertEquals("3 tests failed", new String(attachment.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void plainTextWithoutAttachmentsIsASinglePart() throws Exception {
        PluginTestKit.create()
                .run("node { " + env() + "mail to: 'dev@example.test', subject: 'Hello', body: 'plain words' } }")
                .assertSuccess();
        assertTrue(smtp.waitForIncomingEmail(10_000, 1));
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertTrue(m.isMimeType("text/plain"), m.getContentType());
        assertEquals("plain words", m.getContent());
    }

    @Test
    void logsInWithTheCredentialNamedByGantrySmtpCredentialsAndNeverLogsThePassword() throws Exception {
        smtp.setUser("bot@example.test", "bot", "smtp-pass-93x");
        PluginTestKit.create()
                .credential(new Credential("smtp-login", "usernamePassword", Map.of("username", "bot", "password", "smtp-pass-93x"), Set.of("password")))
                .run("node { withEnv(['GANTRY_SMTP_CREDENTIALS=smtp-login']) {" + env() + "mail to: 'dev@example.test', subject: 'Authenticated' } } }")
                .assertSuccess()
                .assertLogContains("through SMTP 127.0.0.1:" + smtp.getSmtp().getPort() + " as bot")
                .assertLogDoesNotContain("smtp-pass-93x");
        assertTrue(smtp.waitForIncomingEmail(10_000, 1));
        assertEquals("Authenticated", smtp.getReceivedMessages()[0].getSubject());
    }

    @Test
    void anSmtpServerThatIsDownWarnsAndFailsOnlyWithFailOnError() throws Exception {
        int port = Receiver.closedPort();
        String env = "withEnv(['GANTRY_SMTP_HOST=127.0.0.1', 'GANTRY_SMTP_PORT=" + port + "', 'GANTRY_NOTIFY_RETRIES=1', 'GANTRY_NOTIFY_BACKOFF_MS=1']) {\n";
        PluginTestKit.create().run("node { " + env + "mail to: 'dev@example.test', subject: 'x' } }")
                .assertSuccess()
                .assertLogContains("WARNING: mail: cannot deliver mail through SMTP 127.0.0.1:" + port + " after 2 attempts");
        PluginTestKit.create().run("node { " + env + "mail to: 'dev@example.test', subject: 'x', failOnError: true } }")
                .assertResult(Result.FAILURE)
                .assertLogContains("mail: cannot deliver mail through SMTP 127.0.0.1:" + port + " after 2 attempts");
    }

    @Test
    void aMalformedAddressFailsTheStepNamingTheField() {
        PluginTestKit.create().run("node { " + env() + "mail to: 'not an address', subject: 'x' } }")
                .assertResult(Result.FAILURE)
                .assertLogContains("mail: to: 'not an address' is not a list of mail addresses");
    }

    private static List<String> addresses(jakarta.mail.Address[] a) {
        return Arrays.stream(a).map(x -> ((InternetAddress) x).getAddress()).toList();
    }
}
