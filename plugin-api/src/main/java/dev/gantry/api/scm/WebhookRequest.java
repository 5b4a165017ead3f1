package dev.gantry.api.scm;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;

/**
 * An HTTP request a forge (GitHub, GitLab, Gitea, ...) sent to the controller's webhook endpoint.
 *
 * @param headers the request headers, names compared ignoring case; immutable
 * @param body the raw body, exactly as received (signatures are computed over it)
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record WebhookRequest(Map<String, List<String>> headers, byte[] body) {
    public WebhookRequest {
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        }
        headers = java.util.Collections.unmodifiableMap(h);
        body = body == null ? new byte[0] : body.clone();
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
