package dev.gantry.plugins.notify;

import dev.gantry.api.notify.BuildEvent;
import dev.gantry.api.notify.Notifier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The {@code webhook} notifier: POSTs the build (job, number, result, previousResult,
 * durationMillis, url, fixed, regression) as JSON. Settings: {@code url} or
 * {@code urlCredentialsId}; {@code credentialsId} for the HMAC-SHA256 signature header.
 */
@Extension
public class WebhookNotifier implements Notifier {

    @Override
    public String id() {
        return "webhook";
    }

    @Override
    public void notify(BuildEvent event, Map<String, Object> settings, SecretResolver secrets) throws IOException, InterruptedException {
        Settings s = new Settings(id(), settings);
        String url = s.string("url");
        String urlCredentialsId = s.string("urlCredentialsId");
        if ((url == null) == (urlCredentialsId == null)) {
            throw new IllegalArgumentException("the webhook notifier needs either the setting 'url' or 'urlCredentialsId' (a credential holding the URL)");
        }
        List<String> hidden = new ArrayList<>();
        String target = url == null ? "the webhook URL of credential '" + urlCredentialsId + "'" : HttpDelivery.describeUrl(url);
        if (url == null) {
            url = Secrets.secret(secrets, urlCredentialsId, "the webhook URL");
            hidden.add(url);
        }
        String key = s.string("credentialsId") == null ? null : Secrets.secret(secrets, s.string("credentialsId"), "the webhook signing key");
        hidden.add(key);
        Redactor redactor = Redactor.of(hidden);
        Object body = s.raw("body") instanceof Map<?, ?> m ? m : Webhook.event(event);
        // One attempt: the engine retries a notifier that throws IOException.
        Webhook.send("POST", url, target, Json.bytes(body), key, Map.of("X-Gantry-Event", "build-completed"),
                RetryPolicy.NONE, redactor, null);
    }
}
