package dev.gantry.plugins.notify;

import dev.gantry.api.credentials.Credential;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Credentials and an independent HMAC for the tests. */
final class Fixtures {
    private Fixtures() {
    }

    static Credential secretText(String id, String secret) {
        return new Credential(id, "secretText", Map.of("secret", secret), Set.of("secret"));
    }

    /** HMAC-SHA256 computed here, not by the plugin, so that a wrong signature cannot agree with itself. */
    static String hmac(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
