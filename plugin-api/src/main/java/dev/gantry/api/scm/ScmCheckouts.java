package dev.gantry.api.scm;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The build's record of what it checked out: obtained by an SCM step from
 * {@code StepContext.service(ScmCheckouts.class)}. It tells a checkout which revision earlier
 * builds of the job saw (for the changelog and {@code GIT_PREVIOUS_SUCCESSFUL_COMMIT}), keeps
 * each checkout's revision and changes with the build (served by the API, read by
 * {@code when { changeset ... }} and {@code when { changelog ... }}) and exports the revision's
 * variables to the rest of the build. A run without history (a local run) still records, and
 * answers null for the previous revisions. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface ScmCheckouts {

    /**
     * The source the job's pipeline came from, which {@code checkout scm} checks out.
     *
     * @return the source, or null when the pipeline was not read from a repository
     */
    ScmSource jobSource();

    /**
     * The revision the newest earlier build of the job recorded for a source with the same type
     * and {@code url} setting: where the changelog of this checkout starts.
     *
     * @return the revision, or null when no earlier build checked the source out
     */
    ScmRevision previous(ScmSource source);

    /**
     * Like {@link #previous}, among the earlier builds that ended SUCCESS.
     *
     * @return the revision, or null when none did
     */
    ScmRevision previousSuccessful(ScmSource source);

    /**
     * Records a checkout of this build: its revision and the changes since {@link #previous}.
     * The revision's {@link ScmRevision#environment() environment} becomes build-wide (as
     * {@code env.NAME = value} would); a source checked out twice keeps the later record.
     *
     * @param changes newest first; may be empty, never null
     */
    void record(ScmSource source, ScmRevision revision, List<ChangeSetEntry> changes);

    /** The changes every checkout of this build recorded so far, in the order recorded. */
    List<ChangeSetEntry> changes();
}
