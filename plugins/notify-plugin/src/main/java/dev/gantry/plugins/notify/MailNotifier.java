package dev.gantry.plugins.notify;

import dev.gantry.api.notify.BuildEvent;
import dev.gantry.api.notify.Notifier;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The {@code mail} notifier, through the controller's SMTP server ({@code GANTRY_SMTP_*}
 * settings of the controller process). Settings: {@code to}, {@code cc}, {@code bcc},
 * {@code from}, {@code replyTo}, {@code subject}, {@code body}, {@code mimeType}; the subject and
 * body default to the build's result, name, number and link.
 */
@Extension
public class MailNotifier implements Notifier {

    @Override
    public String id() {
        return "mail";
    }

    @Override
    public void notify(BuildEvent event, Map<String, Object> settings, SecretResolver secrets) throws IOException, InterruptedException {
        Settings s = new Settings(id(), settings);
        String credentialsId = s.string("smtpCredentialsId");
        String password = credentialsId == null ? null : Secrets.secret(secrets, credentialsId, "the SMTP password");
        Smtp.Server server = Smtp.Server.from(Map.of(), null, password);
        String subject = s.string("subject") != null ? s.string("subject") : Settings.text(event).replaceFirst(": http.*$", "");
        String body = s.string("body") != null ? s.string("body") : Settings.text(event) + "\n";
        Smtp.Mail mail = new Smtp.Mail(s.string("to"), s.string("cc"), s.string("bcc"), s.string("from"), s.string("replyTo"),
                subject, body, s.string("mimeType"), List.of());
        Smtp.send(server, mail, RetryPolicy.NONE, null);
    }
}
