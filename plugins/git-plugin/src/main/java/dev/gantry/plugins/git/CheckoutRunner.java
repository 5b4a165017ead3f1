package dev.gantry.plugins.git;

import dev.gantry.api.scm.ChangeSetEntry;
import dev.gantry.api.scm.ScmCheckouts;
import dev.gantry.api.scm.ScmRevision;
import dev.gantry.api.scm.ScmSource;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepFailedException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code git} and {@code checkout} steps share: check the source out with
 * {@link GitScmProvider}, work out the changes since the build before, and record both with the
 * build ({@link ScmCheckouts}, when the run keeps records), which exports the revision's variables.
 */
final class CheckoutRunner {
    private static final GitScmProvider PROVIDER = new GitScmProvider();

    private CheckoutRunner() {
    }

    /** @return the variables of the revision checked out ({@code GIT_COMMIT}, ...), for the script */
    static Map<String, Object> run(StepContext context, ScmSource source, boolean changelog) throws IOException, InterruptedException {
        ScmCheckouts records = context.service(ScmCheckouts.class).orElse(null);
        ScmRevision previous = records == null ? null : records.previous(source);
        ScmRevision previousSuccessful = records == null ? null : records.previousSuccessful(source);
        ScmRevision revision;
        try {
            revision = PROVIDER.checkout(context, source, previousSuccessful);
        } catch (IOException e) {
            throw new StepFailedException(e.getMessage());
        }
        if (previous != null) {
            Map<String, String> env = new LinkedHashMap<>(revision.environment());
            env.put("GIT_PREVIOUS_COMMIT", previous.id());
            revision = new ScmRevision(revision.id(), revision.branch(), revision.tag(), env);
        }
        List<ChangeSetEntry> changes = changelog ? PROVIDER.changelog(context, source, previous, revision) : List.of();
        if (changelog && previous != null) {
            context.console().println("git: " + changes.size() + (changes.size() == 1 ? " change" : " changes") + " since " + previous.id());
        }
        if (records != null) {
            records.record(source, revision, changes);
        }
        return new LinkedHashMap<>(revision.environment());
    }
}
