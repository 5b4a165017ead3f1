package dev.gantry.api.workspace;

import org.apiguardian.api.API;

/**
 * A selection of files by Ant-style patterns, as {@code stash}, {@code archiveArtifacts} and
 * {@code junit} take them: comma-separated, relative to a directory, {@code **} for any depth.
 *
 * @param includes patterns of files to take; null or empty means every file ({@code **})
 * @param excludes patterns of files to leave out; may be null
 * @param useDefaultExcludes whether to leave out Ant's default excludes ({@code .git}, {@code *~}, ...)
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public record FileSelection(String includes, String excludes, boolean useDefaultExcludes) {

    /** Every file, default excludes applied. */
    public static FileSelection all() {
        return new FileSelection(null, null, true);
    }

    /** Files matching {@code includes}, default excludes applied. */
    public static FileSelection of(String includes) {
        return new FileSelection(includes, null, true);
    }
}
