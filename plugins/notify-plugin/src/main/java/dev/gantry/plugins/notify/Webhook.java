package dev.gantry.plugins.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A JSON POST (or PUT) to any URL, signed with HMAC-SHA256 when a key is given; shared by
 * {@code webhookSend} and the {@code webhook} notifier. Stateless.
 */
final class Webhook {
    private Webhook() {
    }

    /**
     * Sends the body.
     *
     * @param url where to
     * @param target how messages name the URL (a secret URL must not be named)
     * @param hmacKey the signing key, or null for no signature
     * @param extraHeaders more headers; may be empty
     */
    static Map<String, Object> send(String method, String url, String target, byte[] body, String hmacKey, Map<String, String> extraHeaders,
                                    RetryPolicy policy, Redactor redactor, Consumer<String> log)
            throws HttpDelivery.DeliveryException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("User-Agent", "Gantry-Notify");
        extraHeaders.forEach(headers::put);
        if (hmacKey != null) {
            headers.put(Hmac.HEADER, Hmac.signature(hmacKey, body));
        }
        return HttpDelivery.send(new HttpDelivery.Request(method, url, headers, body, target), policy, redactor, log).toMap();
    }

    /** The default payload of a build notification. */
    static Map<String, Object> event(dev.gantry.api.notify.BuildEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", e.job());
        m.put("number", e.number());
        m.put("result", e.result().name());
        m.put("previousResult", e.previousResult() == null ? null : e.previousResult().name());
        m.put("durationMillis", e.durationMillis());
        m.put("url", e.url());
        m.put("fixed", e.isFixed());
        m.put("regression", e.isRegression());
        return m;
    }
}
