package dev.gantry.plugins.notify;

import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.support.SimpleStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code webhookSend url: 'https://hooks.example/x', body: [status: 'ok'], credentialsId: 'hook-key'}:
 * sends JSON to any HTTP endpoint, signed in the header {@code X-Gantry-Signature-256: sha256=<hex>}
 * with a key from a credential. Returns {@code ok}, {@code status} and the response {@code body}.
 */
@Extension
public class WebhookSendStep extends SimpleStep {

    public WebhookSendStep() {
        super("webhookSend", "Sends JSON to an HTTP endpoint, optionally signed with HMAC-SHA256 (header X-Gantry-Signature-256);"
                        + " returns the response. An unreachable endpoint warns and the build goes on unless failOnError is true.",
                d -> d.optional("url", STRING, null, "The endpoint (give url or urlCredentialsId).").positional("url")
                        .optional("urlCredentialsId", STRING, null, "A secret text credential holding the endpoint URL, for URLs that are secrets.")
                        .optional("body", ParamType.ANY, null, "The JSON to send: a map or list, or a string holding JSON (default: the build's job, number and result).")
                        .optional("credentialsId", STRING, null, "A secret text credential with the HMAC-SHA256 key; the body's signature goes into X-Gantry-Signature-256.")
                        .choice("method", false, "POST", List.of("POST", "PUT"), "The HTTP method.")
                        .optional("headers", ParamType.MAP, null, "More request headers, by name.")
                        .optional("failOnError", BOOLEAN, false, "Fail the build when the endpoint cannot be reached or refuses the request."));
    }

    @Override
    public Object run(StepContext context, StepArguments args) throws InterruptedException {
        String url = args.string("url");
        String urlCredentialsId = args.string("urlCredentialsId");
        if ((url == null) == (urlCredentialsId == null)) {
            throw new dev.gantry.api.step.StepFailedException("webhookSend needs either url: or urlCredentialsId: (a credential holding the URL), not "
                    + (url == null ? "neither" : "both"));
        }
        List<String> secrets = new ArrayList<>();
        String target;
        if (urlCredentialsId != null) {
            url = Secrets.secret(context, urlCredentialsId, "the webhook URL");
            secrets.add(url);
            target = "the webhook URL of credential '" + urlCredentialsId + "'";
        } else {
            target = HttpDelivery.describeUrl(url);
        }
        String key = args.string("credentialsId") == null ? null : Secrets.secret(context, args.string("credentialsId"), "the webhook signing key");
        secrets.add(key);
        Redactor redactor = Redactor.of(secrets);
        String endpoint = url;
        return Deliveries.run(context, "webhookSend", args.bool("failOnError"), redactor, () -> {
            byte[] body = body(args.get("body"), context);
            Map<String, String> headers = new LinkedHashMap<>();
            args.map("headers").forEach((k, v) -> headers.put(k, String.valueOf(v)));
            String method = args.string("method").toUpperCase(java.util.Locale.ROOT);
            Map<String, Object> out = Webhook.send(method, endpoint, target, body, key, headers,
                    RetryPolicy.from(context.environment()), redactor, m -> context.console().println("webhookSend: " + m));
            context.console().println("webhookSend: " + method + " to " + target + (key == null ? "" : ", signed,")
                    + " answered HTTP " + out.get("status"));
            return out;
        });
    }

    private static byte[] body(Object body, StepContext context) {
        if (body == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("job", context.run().jobName());
            m.put("number", context.run().number());
            m.put("result", context.run().result().name());
            return Json.bytes(m);
        }
        if (body instanceof CharSequence s) {
            return Json.checked(s.toString());
        }
        if (body instanceof Map<?, ?> || body instanceof List<?>) {
            return Json.bytes(body);
        }
        throw new IllegalArgumentException("body must be a map, a list or a string holding JSON, not " + body.getClass().getSimpleName());
    }
}
