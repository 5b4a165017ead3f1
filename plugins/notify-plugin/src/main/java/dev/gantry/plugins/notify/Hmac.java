package dev.gantry.plugins.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The signature receivers check, as GitHub signs its webhooks: {@code sha256=} and the hex HMAC-SHA256 of the body. */
final class Hmac {
    /** The header that carries it. */
    static final String HEADER = "X-Gantry-Signature-256";

    private Hmac() {
    }

    static String signature(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK: " + e, e);
        }
    }
}
