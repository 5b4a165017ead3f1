package dev.gantry.plugins.notify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Posts a message the way Slack takes it: to an incoming webhook when the credential's secret is
 * a URL, else to {@code chat.postMessage} of the API at {@code baseUrl} with the secret as bot
 * token. Shared by {@code slackSend} and the {@code slack} notifier. Stateless.
 */
final class Slack {
    static final String DEFAULT_BASE_URL = "https://slack.com/api/";

    private Slack() {
    }

    /** The Slack-compatible JSON payload: text, and with a color an attachment of that color (good, warning, danger, #hex). */
    static Map<String, Object> payload(String channel, String color, String message, String username, String iconEmoji) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (channel != null && !channel.isBlank()) {
            p.put("channel", channel);
        }
        if (username != null && !username.isBlank()) {
            p.put("username", username);
        }
        if (iconEmoji != null && !iconEmoji.isBlank()) {
            p.put("icon_emoji", iconEmoji);
        }
        if (color == null || color.isBlank()) {
            p.put("text", message);
        } else {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("color", color);
            a.put("text", message);
            a.put("fallback", message);
            p.put("attachments", List.of(a));
        }
        return p;
    }

    /**
     * Sends the payload.
     *
     * @param secret a webhook URL or a bot token
     * @param credentialsId the credential the secret came from, to name it in messages
     * @param baseUrl the API for bot tokens (null: Slack's)
     * @return the response with Slack's {@code channelId}, {@code ts} and {@code threadId} when it answered JSON
     * @throws HttpDelivery.DeliveryException when it cannot be delivered or Slack answered {@code ok: false}
     */
    static Map<String, Object> send(String secret, String credentialsId, String baseUrl, Map<String, Object> payload,
                                    RetryPolicy policy, Redactor redactor, Consumer<String> log)
            throws HttpDelivery.DeliveryException, InterruptedException {
        boolean webhook = secret.startsWith("https://") || secret.startsWith("http://");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        String url;
        String target;
        if (webhook) {
            url = secret;
            target = "the Slack webhook of credential '" + credentialsId + "'";
        } else {
            String base = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl;
            url = (base.endsWith("/") ? base : base + "/") + "chat.postMessage";
            headers.put("Authorization", "Bearer " + secret);
            target = "Slack at " + HttpDelivery.describeUrl(url) + " (token of credential '" + credentialsId + "')";
        }
        HttpDelivery.Response r = HttpDelivery.send(new HttpDelivery.Request("POST", url, headers,
                Json.bytes(payload), target), policy, redactor, log);
        Map<String, Object> out = r.toMap();
        Map<String, Object> answer = Json.object(r.body());
        if (Boolean.FALSE.equals(answer.get("ok"))) {
            throw new HttpDelivery.DeliveryException(target + " refused the message: " + answer.getOrDefault("error", r.body()), r.status());
        }
        Object channel = answer.get("channel");
        Object ts = answer.get("ts");
        if (channel != null) {
            out.put("channelId", String.valueOf(channel));
        }
        if (ts != null) {
            out.put("ts", String.valueOf(ts));
            out.put("threadId", (channel == null ? "" : channel + ":") + ts);
        }
        return out;
    }

    /** The default color of a build result: good, warning or danger. */
    static String color(dev.gantry.api.Result result) {
        return switch (result) {
            case SUCCESS -> "good";
            case UNSTABLE -> "warning";
            default -> "danger";
        };
    }

}
