package dev.gantry.engine.scm;

import java.util.Locale;

/**
 * Compares repository URLs the way a forge's webhook and a job's definition write them: scheme,
 * user, port of the standard protocols, a trailing {@code .git} or {@code /} and the host's case
 * do not matter; {@code git@host:owner/repo} equals {@code https://host/owner/repo.git}.
 */
final class ScmUrls {
    private ScmUrls() {
    }

    static boolean same(String a, String b) {
        return a != null && b != null && key(a).equals(key(b));
    }

    /** The host and path of a URL, normalised: {@code github.com/octocat/hello-world}. */
    static String key(String url) {
        String u = url.strip();
        String host = "";
        String path;
        int scheme = u.indexOf("://");
        if (scheme >= 0) {
            String rest = u.substring(scheme + 3);
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            path = slash < 0 ? "" : rest.substring(slash);
            authority = authority.substring(authority.lastIndexOf('@') + 1);
            String scheme0 = u.substring(0, scheme).toLowerCase(Locale.ROOT);
            if (!scheme0.equals("file") && authority.contains(":") && !authority.endsWith("]")) {
                String port = authority.substring(authority.lastIndexOf(':') + 1);
                // Standard ports say nothing; others (a test server, a forge on 8443) tell repositories apart.
                if (port.equals("22") || port.equals("80") || port.equals("443") || port.equals("9418")) {
                    authority = authority.substring(0, authority.lastIndexOf(':'));
                }
            }
            host = authority.toLowerCase(Locale.ROOT);
        } else if (u.matches("^[^/]+@[^/:]+:.*")) {
            int at = u.indexOf('@');
            int colon = u.indexOf(':', at);
            host = u.substring(at + 1, colon).toLowerCase(Locale.ROOT);
            path = "/" + u.substring(colon + 1);
        } else {
            path = u;
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        return host + (path.startsWith("/") ? path : "/" + path);
    }

    /** A branch as jobs write it ({@code main}, {@code * /main}, {@code origin/main}, {@code refs/heads/main}) as the name alone. */
    static String branch(String b) {
        if (b == null) {
            return null;
        }
        String s = b.strip();
        for (String p : new String[] {"*/", "origin/", "refs/remotes/origin/", "refs/heads/"}) {
            if (s.startsWith(p)) {
                return s.substring(p.length());
            }
        }
        return s;
    }
}
