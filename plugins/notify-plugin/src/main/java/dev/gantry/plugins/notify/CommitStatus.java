package dev.gantry.plugins.notify;

import dev.gantry.api.Result;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Commit statuses on GitHub ({@code POST /repos/{owner}/{repo}/statuses/{sha}}), GitLab
 * ({@code POST /projects/{id}/statuses/{sha}}) and Gitea ({@code POST /repos/{owner}/{repo}/statuses/{sha}}),
 * each with its own state names and token header; shared by {@code commitStatus} and its
 * notifier. Stateless.
 */
final class CommitStatus {
    /** The states pipelines write; each forge's own names are mapped from these. */
    static final List<String> STATES = List.of("pending", "running", "success", "failure", "error", "canceled");
    static final List<String> PROVIDERS = List.of("github", "gitlab", "gitea");

    private CommitStatus() {
    }

    /** The state for a build result. */
    static String state(Result result) {
        return switch (result) {
            case SUCCESS -> "success";
            case UNSTABLE, FAILURE -> "failure";
            case ABORTED, NOT_BUILT -> "error";
        };
    }

    /**
     * A status to post.
     *
     * @param provider github, gitlab or gitea
     * @param apiUrl the API's base (https://api.github.com, https://gitlab.example/api/v4, https://gitea.example/api/v1); null: GitHub's or GitLab's public one
     * @param repository {@code owner/repo}; for GitLab the project's path or numeric id
     * @param state one of {@link #STATES}
     * @param context the name of the check ({@code gantry/build})
     * @param targetUrl where the status links to; may be null
     * @param description one line; may be null
     */
    record Status(String provider, String apiUrl, String repository, String sha, String state, String context, String targetUrl,
                  String description) {
    }

    /**
     * Posts the status.
     *
     * @param token the API token (a secret)
     * @param credentialsId where it came from, for messages
     * @throws IllegalArgumentException naming the field when the status is incomplete or malformed
     */
    static Map<String, Object> send(Status s, String token, String credentialsId, RetryPolicy policy, Redactor redactor, Consumer<String> log)
            throws HttpDelivery.DeliveryException, InterruptedException {
        String provider = s.provider() == null ? "" : s.provider().toLowerCase(Locale.ROOT);
        if (!PROVIDERS.contains(provider)) {
            throw new IllegalArgumentException("provider must be one of " + String.join(", ", PROVIDERS) + ", not '" + s.provider() + "'");
        }
        String state = s.state() == null ? "" : s.state().toLowerCase(Locale.ROOT);
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("state must be one of " + String.join(", ", STATES) + ", not '" + s.state() + "'");
        }
        if (s.sha() == null || !s.sha().matches("[0-9a-fA-F]{7,64}")) {
            throw new IllegalArgumentException("sha must be a commit id (7 to 64 hex digits), not '" + s.sha()
                    + "'; in a pipeline after checkout use sha: env.GIT_COMMIT");
        }
        String repo = s.repository() == null ? "" : s.repository().strip();
        if (repo.isEmpty() || (!provider.equals("gitlab") && !repo.matches("[^/\\s]+/[^/\\s]+"))) {
            throw new IllegalArgumentException("repository must be owner/name" + (provider.equals("gitlab") ? " or a project id" : "")
                    + ", not '" + s.repository() + "'");
        }
        String api = s.apiUrl();
        if (api == null || api.isBlank()) {
            api = switch (provider) {
                case "github" -> "https://api.github.com";
                case "gitlab" -> "https://gitlab.com/api/v4";
                default -> throw new IllegalArgumentException("a Gitea status needs apiUrl: (the server's API, e.g. https://gitea.example/api/v1)");
            };
        }
        api = api.endsWith("/") ? api.substring(0, api.length() - 1) : api;
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("User-Agent", "Gantry-Notify");
        String url;
        switch (provider) {
            case "gitlab" -> {
                url = api + "/projects/" + URLEncoder.encode(repo, StandardCharsets.UTF_8) + "/statuses/" + s.sha();
                body.put("state", switch (state) {
                    case "failure", "error" -> "failed";
                    case "canceled" -> "canceled";
                    default -> state;
                });
                body.put("name", s.context());
                headers.put("PRIVATE-TOKEN", token);
            }
            case "github" -> {
                url = api + "/repos/" + repo + "/statuses/" + s.sha();
                body.put("state", switch (state) {
                    case "running" -> "pending";
                    case "canceled" -> "error";
                    default -> state;
                });
                body.put("context", s.context());
                headers.put("Authorization", "Bearer " + token);
                headers.put("Accept", "application/vnd.github+json");
                headers.put("X-GitHub-Api-Version", "2022-11-28");
            }
            default -> {
                url = api + "/repos/" + repo + "/statuses/" + s.sha();
                body.put("state", switch (state) {
                    case "running" -> "pending";
                    case "canceled" -> "error";
                    default -> state;
                });
                body.put("context", s.context());
                headers.put("Authorization", "token " + token);
            }
        }
        if (s.targetUrl() != null && !s.targetUrl().isBlank()) {
            body.put("target_url", s.targetUrl());
        }
        if (s.description() != null && !s.description().isBlank()) {
            // GitHub refuses descriptions over 140 characters.
            body.put("description", s.description().length() <= 140 ? s.description() : s.description().substring(0, 137) + "...");
        }
        String target = provider + " status API at " + HttpDelivery.describeUrl(url) + " (token of credential '" + credentialsId + "')";
        Map<String, Object> out = HttpDelivery.send(new HttpDelivery.Request("POST", url, headers, Json.bytes(body), target),
                policy, redactor, log).toMap();
        out.put("state", body.get("state"));
        return out;
    }
}
