package dev.gantry.api.scm;

import java.time.Instant;
import java.util.List;
import org.apiguardian.api.API;

/**
 * One change (commit) between two revisions, as {@code when { changeset ... }} and
 * {@code when { changelog ... }} and the build's changes in the API see it.
 *
 * @param revision the change's id (commit hash)
 * @param author the author's name
 * @param authorEmail the author's e-mail, or null
 * @param timestamp when the change was made
 * @param message the full message
 * @param paths the paths the change touched, relative to the repository root, with {@code /}
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ChangeSetEntry(String revision, String author, String authorEmail, Instant timestamp,
                             String message, List<String> paths) {
    public ChangeSetEntry {
        paths = paths == null ? List.of() : List.copyOf(paths);
    }
}
