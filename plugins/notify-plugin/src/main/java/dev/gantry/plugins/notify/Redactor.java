package dev.gantry.plugins.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Replaces secrets (tokens, passwords, webhook URLs from credentials) in text meant for a log or
 * an exception message, as they are and URL-encoded, because a library may quote a URL or a
 * header in its own message. Immutable and thread-safe.
 */
final class Redactor {
    static final String MASK = "****";
    static final Redactor NONE = new Redactor(List.of());
    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** A redactor for these secrets; null and blank ones are ignored. */
    static Redactor of(Collection<String> secrets) {
        List<String> forms = new ArrayList<>();
        for (String s : secrets) {
            if (s == null || s.isBlank()) {
                continue;
            }
            forms.add(s);
            String encoded = URLEncoder.encode(s, StandardCharsets.UTF_8);
            if (!encoded.equals(s)) {
                forms.add(encoded);
            }
        }
        // Longest first: a secret that contains another is masked whole.
        forms.sort((a, b) -> b.length() - a.length());
        return new Redactor(List.copyOf(forms));
    }

    /** This redactor with one more secret. */
    Redactor plus(String secret) {
        List<String> all = new ArrayList<>(secrets);
        all.add(secret);
        return of(all);
    }

    /** The text with every secret masked; null stays null. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        return out;
    }

    /** A one-line description of a failure (its class when it has no message), secrets masked. */
    String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 500; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            String part = m == null || m.isBlank() ? c.getClass().getSimpleName() : c.getClass().getSimpleName() + ": " + m;
            if (sb.indexOf(part) < 0) {
                if (!sb.isEmpty()) {
                    sb.append(" <- ");
                }
                sb.append(part);
            }
        }
        return redact(sb.toString());
    }
}
