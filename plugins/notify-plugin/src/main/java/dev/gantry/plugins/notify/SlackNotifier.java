package dev.gantry.plugins.notify;

import dev.gantry.api.notify.BuildEvent;
import dev.gantry.api.notify.Notifier;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The {@code slack} notifier. Settings: {@code tokenCredentialId} (a webhook URL or bot token),
 * {@code channel}, {@code color} (default by result), {@code message} (default: result, job,
 * number, duration and link), {@code baseUrl}.
 */
@Extension
public class SlackNotifier implements Notifier {

    @Override
    public String id() {
        return "slack";
    }

    @Override
    public void notify(BuildEvent event, Map<String, Object> settings, SecretResolver secrets) throws IOException, InterruptedException {
        Settings s = new Settings(id(), settings);
        String credentialsId = s.required("tokenCredentialId", "a secret text credential with the webhook URL or bot token");
        String secret = Secrets.secret(secrets, credentialsId, "the Slack webhook URL or token");
        String color = s.string("color") != null ? s.string("color") : Slack.color(event.result());
        String message = s.string("message") != null ? s.string("message") : Settings.text(event);
        Slack.send(secret, credentialsId, s.string("baseUrl"), Slack.payload(s.string("channel"), color, message, s.string("username"), s.string("iconEmoji")),
                RetryPolicy.NONE, Redactor.of(List.of(secret)), null);
    }
}
