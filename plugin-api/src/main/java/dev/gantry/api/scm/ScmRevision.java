package dev.gantry.api.scm;

import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One state of a source: what a build checked out, what polling found.
 *
 * @param id the provider's id of the revision (a commit hash for git)
 * @param branch the branch name without prefix ({@code main}), or null for a detached revision
 * @param tag the tag name when the revision was reached through a tag, else null
 * @param environment variables the checkout exports to the build ({@code GIT_COMMIT},
 *     {@code GIT_BRANCH}, ...); immutable
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ScmRevision(String id, String branch, String tag, Map<String, String> environment) {
    public ScmRevision {
        Objects.requireNonNull(id, "id");
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }
}
