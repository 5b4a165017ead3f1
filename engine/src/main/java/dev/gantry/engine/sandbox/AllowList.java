package dev.gantry.engine.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The allow-list: one signature per line, as in Jenkins' script-security
 * ({@code method java.lang.String trim}, {@code staticMethod java.lang.Math max int int},
 * {@code new java.util.ArrayList}, {@code field java.awt.Point x}, {@code staticField java.lang.Math PI}).
 * Blank lines and lines starting with {@code #} are ignored. Immutable, thread-safe.
 */
final class AllowList {
    static final String DEFAULT_RESOURCE = "default-allowlist.txt";

    private static final AllowList DEFAULT = load(AllowList.class, DEFAULT_RESOURCE);

    private final Set<String> signatures;

    private AllowList(Set<String> signatures) {
        this.signatures = Set.copyOf(signatures);
    }

    static AllowList defaults() {
        return DEFAULT;
    }

    static AllowList load(Class<?> base, String resource) {
        try (InputStream in = base.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("allow-list resource " + resource + " is missing next to " + base.getName());
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read allow-list " + resource, e);
        }
    }

    static AllowList parse(String text, String origin) {
        Set<String> out = new HashSet<>();
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                String s = line.strip();
                int hash = s.indexOf('#');
                if (hash >= 0) {
                    s = s.substring(0, hash).strip();
                }
                if (s.isEmpty()) {
                    continue;
                }
                String normal = String.join(" ", s.split("\\s+"));
                String kind = normal.substring(0, normal.indexOf(' ') < 0 ? normal.length() : normal.indexOf(' '));
                switch (kind) {
                    case "method", "staticMethod", "new", "field", "staticField" -> out.add(normal);
                    default -> throw new IllegalArgumentException(origin + ":" + n + ": '" + kind
                            + "' is not an allow-list entry kind; use method, staticMethod, new, field or staticField");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AllowList(out);
    }

    boolean contains(String signature) {
        return signatures.contains(signature);
    }

    int size() {
        return signatures.size();
    }
}
