package dev.gantry.plugins.git;

import dev.gantry.api.agent.NodeTasks;
import dev.gantry.api.credentials.Credential;
import dev.gantry.api.credentials.CredentialLookup;
import dev.gantry.api.scm.ChangeSetEntry;
import dev.gantry.api.scm.ScmCheckouts;
import dev.gantry.api.scm.ScmRevision;
import dev.gantry.api.scm.ScmSource;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepFailedException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@code git} and {@code checkout} steps share, on the controller: resolve the
 * credential (with the build's permissions), send the checkout to the node of the workspace as a
 * {@link CheckoutTask} (the clone or fetch happens there, on a remote agent as on the built-in
 * node), and record the revision and the changes it answers with the build ({@link ScmCheckouts},
 * when the run keeps records), which exports the revision's variables.
 */
final class CheckoutRunner {

    private CheckoutRunner() {
    }

    /** @return the variables of the revision checked out ({@code GIT_COMMIT}, ...), for the script */
    static Map<String, Object> run(StepContext context, ScmSource source, boolean changelog) throws IOException, InterruptedException {
        ScmCheckouts records = context.service(ScmCheckouts.class).orElse(null);
        ScmRevision previous = records == null ? null : records.previous(source);
        ScmRevision previousSuccessful = records == null ? null : records.previousSuccessful(source);
        GitSettings settings;
        Credential credential;
        try {
            settings = GitSettings.of(source);
            credential = GitAuth.resolve(settings, context.service(CredentialLookup.class).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("git: " + e.getMessage());
        }
        GitScmProvider.Outcome outcome;
        NodeTasks tasks = context.service(NodeTasks.class).orElse(null);
        if (tasks != null) {
            Map<String, Object> arguments = CheckoutTask.arguments(source, credential, previous, previousSuccessful, changelog);
            Object answer;
            try (OutputStream log = context.console().stream()) {
                answer = tasks.run(context.workspace(), CheckoutTask.TYPE, arguments, log);
            } catch (IOException e) {
                throw new StepFailedException(credential == null ? e.getMessage() : CheckoutTask.MaskingConsole.mask(e.getMessage(), credential));
            }
            outcome = CheckoutTask.fromJson(answer);
        } else {
            // A run without nodes to send tasks to (an engine embedded without agents): the workspace is here.
            try {
                outcome = GitScmProvider.withPluginLoader(() -> GitScmProvider.checkoutHere(GitScmProvider.localDirectory(context.workspace()),
                        null, settings, credential, previous == null ? null : previous.id(),
                        previousSuccessful == null ? null : previousSuccessful.id(), changelog, context.console()));
            } catch (IOException e) {
                throw new StepFailedException(e.getMessage());
            }
        }
        ScmRevision revision = outcome.revision();
        if (previous != null) {
            Map<String, String> env = new LinkedHashMap<>(revision.environment());
            env.put("GIT_PREVIOUS_COMMIT", previous.id());
            revision = new ScmRevision(revision.id(), revision.branch(), revision.tag(), env);
        }
        List<ChangeSetEntry> changes = changelog ? outcome.changes() : List.of();
        if (changelog && previous != null) {
            context.console().println("git: " + changes.size() + (changes.size() == 1 ? " change" : " changes") + " since " + previous.id());
        }
        if (records != null) {
            records.record(source, revision, changes);
        }
        return new LinkedHashMap<>(revision.environment());
    }
}
