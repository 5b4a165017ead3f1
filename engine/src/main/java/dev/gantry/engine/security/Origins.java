package dev.gantry.engine.security;

import java.net.URI;
import java.util.Locale;

/**
 * Where a state-changing request comes from: the one rule, shared by the REST API's filter and the
 * web UI, that refuses changes sent by another site's page (docs/security.md).
 */
public final class Origins {
    private Origins() {
    }

    /**
     * The origin a state change comes from when it is not this controller's: the {@code Origin}
     * header (or, without one, the {@code Referer}'s origin, or {@code Sec-Fetch-Site: cross-site}).
     *
     * @param ownScheme this controller's scheme as the request reached it ({@code http}, {@code https})
     * @param ownHost the host name the request was addressed to
     * @param ownPort the port, or -1 for the scheme's default
     * @param origin the {@code Origin} header, or null
     * @param referer the {@code Referer} header, or null
     * @param secFetchSite the {@code Sec-Fetch-Site} header, or null
     * @return the foreign origin (for the message), or null when it is this controller's or the
     *     client sent none (a CLI, an agent, curl)
     */
    public static String foreign(String ownScheme, String ownHost, int ownPort, String origin, String referer, String secFetchSite) {
        String own = origin(ownScheme, ownHost, ownPort);
        String from = origin;
        if (from == null) {
            if (referer != null) {
                try {
                    URI r = URI.create(referer.trim());
                    from = r.getScheme() == null ? null : origin(r.getScheme(), r.getHost(), r.getPort());
                } catch (IllegalArgumentException e) {
                    return referer;
                }
            }
        } else if (!from.equals("null")) {
            try {
                URI o = URI.create(from.trim());
                from = o.getScheme() == null || o.getHost() == null ? from : origin(o.getScheme(), o.getHost(), o.getPort());
            } catch (IllegalArgumentException e) {
                return from;
            }
        }
        if (from == null) {
            return "cross-site".equalsIgnoreCase(secFetchSite) ? "(Sec-Fetch-Site: cross-site)" : null;
        }
        return from.equals(own) ? null : from;
    }

    private static String origin(String scheme, String host, int port) {
        String s = scheme.toLowerCase(Locale.ROOT);
        int p = port >= 0 ? port : s.equals("https") ? 443 : s.equals("http") ? 80 : -1;
        return s + "://" + (host == null ? "" : host.toLowerCase(Locale.ROOT)) + ":" + p;
    }
}
