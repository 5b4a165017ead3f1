package dev.gantry.api.scm;

import org.apiguardian.api.API;

/**
 * What a verified webhook announced: a push to a branch or tag of a repository. The engine
 * triggers the jobs whose source matches {@code repositoryUrl} and {@code ref}.
 *
 * @param repositoryUrl the clone URLs of the repository as the forge names it (any of them matches)
 * @param branch the branch pushed to, without {@code refs/heads/}, or null for a tag
 * @param tag the tag pushed, without {@code refs/tags/}, or null for a branch
 * @param revision the new head revision, or null when the ref was deleted
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record PushEvent(java.util.List<String> repositoryUrl, String branch, String tag, String revision) {
    public PushEvent {
        repositoryUrl = repositoryUrl == null ? java.util.List.of() : java.util.List.copyOf(repositoryUrl);
    }
}
