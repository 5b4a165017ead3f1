package dev.gantry.plugins.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.scm.PushEvent;
import dev.gantry.api.scm.WebhookRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Push webhooks of GitHub, Gitea and GitLab: which forge sent a request (by its event header),
 * whether it is genuine (GitHub's {@code X-Hub-Signature-256} and Gitea's
 * {@code X-Gitea-Signature}, HMAC-SHA256 of the body; GitLab's {@code X-Gitlab-Token}, the
 * secret itself), and which repository, branch or tag and commit the push announces.
 */
final class Webhooks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZERO = "0000000000000000000000000000000000000000";

    private Webhooks() {
    }

    static Optional<PushEvent> parse(WebhookRequest request, String secret) {
        String gitea = first(request, "X-Gitea-Event", "X-Gogs-Event");
        String github = request.header("X-GitHub-Event");
        String gitlab = request.header("X-Gitlab-Event");
        if (gitea != null) {
            verifyHmac(request, secret, first(request, "X-Gitea-Signature", "X-Gogs-Signature"), "", "Gitea (X-Gitea-Signature)");
            return "push".equals(gitea) ? push(request, false) : Optional.empty();
        }
        if (github != null) {
            verifyHmac(request, secret, request.header("X-Hub-Signature-256"), "sha256=", "GitHub (X-Hub-Signature-256)");
            return "push".equals(github) ? push(request, false) : Optional.empty();
        }
        if (gitlab != null) {
            String token = request.header("X-Gitlab-Token");
            if (secret == null && token != null) {
                throw new SecurityException("the GitLab webhook sends a token (X-Gitlab-Token) but no webhook secret is configured to check it against");
            }
            if (secret != null && (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8)))) {
                throw new SecurityException("the GitLab webhook's X-Gitlab-Token does not match the configured secret");
            }
            return gitlab.equals("Push Hook") || gitlab.equals("Tag Push Hook") ? push(request, true) : Optional.empty();
        }
        return Optional.empty();
    }

    /** Checks a body's HMAC-SHA256 signature ({@code prefix} + hex), refusing one that cannot or does not verify. */
    private static void verifyHmac(WebhookRequest request, String secret, String signature, String prefix, String what) {
        if (secret == null) {
            if (signature != null) {
                throw new SecurityException("the " + what + " webhook is signed but no webhook secret is configured to check it");
            }
            return;
        }
        if (signature == null) {
            throw new SecurityException("the " + what + " webhook is not signed, but a webhook secret is configured: set the secret on the forge's webhook too");
        }
        String hex = signature.strip();
        if (!hex.startsWith(prefix)) {
            throw new SecurityException("the " + what + " signature does not start with '" + prefix + "'");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex.substring(prefix.length()).toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SecurityException("the " + what + " signature is not hexadecimal");
        }
        if (!MessageDigest.isEqual(given, hmac(secret, request.body()))) {
            throw new SecurityException("the " + what + " signature does not match the body and the configured secret");
        }
    }

    static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("the JDK cannot compute HMAC-SHA256", e);
        }
    }

    private static Optional<PushEvent> push(WebhookRequest request, boolean gitlab) {
        JsonNode root;
        try {
            root = JSON.readTree(request.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("the push webhook's body is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the push webhook's body is not a JSON object");
        }
        String ref = root.path("ref").asText(null);
        if (ref == null) {
            return Optional.empty();
        }
        List<String> urls = new ArrayList<>();
        if (gitlab) {
            add(urls, root.path("project"), "git_http_url", "git_ssh_url", "web_url", "http_url", "ssh_url");
            add(urls, root.path("repository"), "git_http_url", "git_ssh_url", "homepage", "url");
        } else {
            add(urls, root.path("repository"), "clone_url", "ssh_url", "git_url", "html_url", "url", "svn_url");
        }
        String after = root.path("after").asText(null);
        boolean deleted = root.path("deleted").asBoolean(false) || ZERO.equals(after);
        String revision = deleted ? null : (gitlab && root.hasNonNull("checkout_sha") ? root.get("checkout_sha").asText() : after);
        String branch = ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : null;
        String tag = ref.startsWith("refs/tags/") ? ref.substring("refs/tags/".length()) : null;
        if (branch == null && tag == null) {
            return Optional.empty();
        }
        return Optional.of(new PushEvent(urls, branch, tag, revision));
    }

    private static void add(List<String> urls, JsonNode node, String... fields) {
        for (String f : fields) {
            String v = node.path(f).asText(null);
            if (v != null && !v.isBlank() && !urls.contains(v)) {
                urls.add(v);
            }
        }
    }

    private static String first(WebhookRequest r, String... names) {
        for (String n : names) {
            String v = r.header(n);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
