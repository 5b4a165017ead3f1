package dev.gantry.plugins.git;

import dev.gantry.api.scm.ScmSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A git source's settings, read from an {@link ScmSource} (which the {@code git} step, the
 * {@code checkout} step's {@code GitSCM} map, the {@code scm} variable and job definitions all
 * become): the repository URL, the branch, tag or commit, the credentials, the clone depth.
 *
 * @param url the repository URL
 * @param ref what to check out as written ({@code main}, {@code * /main}, {@code refs/tags/v1},
 *     a commit id), or null for the remote's default branch
 * @param credentialsId the credential to authenticate with, or null
 * @param depth the number of commits a shallow clone fetches, or 0 for all history
 * @param knownHosts extra {@code known_hosts} lines for SSH, or null
 * @param hostKeyCheck {@code yes} (the default), {@code accept-new} or {@code no}
 */
record GitSettings(String url, String ref, String credentialsId, int depth, String knownHosts, String hostKeyCheck) {
    static final String TYPE = "git";

    GitSettings {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("a git source needs url: the repository to clone (https://..., ssh://..., git@host:path or file:///...)");
        }
        url = url.strip();
        ref = ref == null || ref.isBlank() ? null : ref.strip();
        hostKeyCheck = hostKeyCheck == null || hostKeyCheck.isBlank() ? "yes" : hostKeyCheck.strip();
        if (!List.of("yes", "accept-new", "no").contains(hostKeyCheck)) {
            throw new IllegalArgumentException("hostKeyCheck must be yes, accept-new or no, not '" + hostKeyCheck + "'");
        }
    }

    static GitSettings of(ScmSource source) {
        if (!TYPE.equals(source.type())) {
            throw new IllegalArgumentException("the git plugin checks out sources of type git, not " + source.type());
        }
        String depth = source.setting("depth");
        int d;
        try {
            d = depth == null || depth.isBlank() ? 0 : (int) Double.parseDouble(depth);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("depth must be a whole number of commits, not '" + depth + "'");
        }
        if (d < 0) {
            throw new IllegalArgumentException("depth must be 0 (all history) or more, not " + d);
        }
        return new GitSettings(source.setting("url"), source.setting("branch"), blankToNull(source.setting("credentialsId")), d,
                source.setting("knownHosts"), source.setting("hostKeyCheck"));
    }

    /**
     * The source of a {@code git url: ..., branch: ...} call or a plain map with {@code url}.
     *
     * @param settings url, branch, credentialsId, depth, knownHosts, hostKeyCheck (others kept)
     */
    static ScmSource source(Map<String, ?> settings) {
        Map<String, Object> s = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (v != null && !k.equals("type") && !k.equals("$class")) {
                s.put(k, v instanceof Number || v instanceof Boolean ? v : String.valueOf(v));
            }
        });
        return new ScmSource(TYPE, s);
    }

    /**
     * The source a Jenkins {@code GitSCM} map describes: {@code branches: [[name: '* /main']]},
     * {@code userRemoteConfigs: [[url: ..., credentialsId: ...]]}, and of its
     * {@code extensions} the {@code CloneOption}'s {@code shallow} and {@code depth}.
     *
     * @throws IllegalArgumentException naming what is missing or has the wrong shape
     */
    static ScmSource fromGitScm(Map<?, ?> scm) {
        Map<String, Object> s = new LinkedHashMap<>();
        List<?> remotes = list(scm.get("userRemoteConfigs"), "userRemoteConfigs");
        if (remotes.isEmpty() || !(remotes.get(0) instanceof Map<?, ?> remote)) {
            throw new IllegalArgumentException("GitSCM needs userRemoteConfigs: [[url: '...']]");
        }
        if (remotes.size() > 1) {
            throw new IllegalArgumentException("GitSCM with more than one of userRemoteConfigs is not supported: give one repository");
        }
        put(s, "url", remote.get("url"));
        put(s, "credentialsId", remote.get("credentialsId"));
        List<?> branches = list(scm.get("branches"), "branches");
        if (branches.size() > 1) {
            throw new IllegalArgumentException("GitSCM with more than one of branches is not supported: give one branch, tag or commit");
        }
        if (!branches.isEmpty()) {
            if (!(branches.get(0) instanceof Map<?, ?> b)) {
                throw new IllegalArgumentException("GitSCM branches must be a list of maps: [[name: '*/main']]");
            }
            put(s, "branch", b.get("name"));
        }
        for (Object e : list(scm.get("extensions"), "extensions")) {
            if (e instanceof Map<?, ?> ext && "CloneOption".equals(String.valueOf(ext.get("$class")))) {
                boolean shallow = Boolean.TRUE.equals(ext.get("shallow")) || "true".equals(String.valueOf(ext.get("shallow")));
                Object depth = ext.get("depth");
                if (shallow) {
                    s.put("depth", depth == null ? 1 : depth);
                }
            }
        }
        return source(s);
    }

    private static void put(Map<String, Object> m, String key, Object v) {
        if (v != null && !String.valueOf(v).isBlank()) {
            m.put(key, String.valueOf(v));
        }
    }

    private static List<?> list(Object v, String name) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l;
        }
        if (v instanceof Map<?, ?>) {
            return new ArrayList<>(List.of(v));
        }
        throw new IllegalArgumentException("GitSCM " + name + " must be a list of maps, not " + v.getClass().getSimpleName());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** The URL without a password (for logs and messages). */
    String safeUrl() {
        return safe(url);
    }

    static String safe(String url) {
        return url.replaceAll("(?<=://)([^/@:]+):[^/@]*@", "$1:****@");
    }
}
