package dev.gantry.plugins.git;

import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.support.SimpleStep;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code git url: '...', branch: 'main', credentialsId: '...'}: Jenkins' short form of a git
 * checkout into the current directory. Returns the revision's variables ({@code GIT_COMMIT}, ...),
 * which also become build-wide.
 */
@Extension
public class GitStep extends SimpleStep {

    public GitStep() {
        super("git", "Checks a git repository out into the current directory (clone, or fetch when it is there): a branch, a tag or a commit.",
                d -> d.required("url", STRING, "The repository: https://..., ssh://..., git@host:path or file:///...")
                        .positional("url")
                        .optional("branch", STRING, null, "A branch, a tag (refs/tags/v1) or a full commit id; default: the remote's default branch.")
                        .optional("credentialsId", STRING, null, "A username with password or token (HTTPS), or an SSH private key (SSH).")
                        .optional("changelog", BOOLEAN, true, "Record the commits since the previous build (when { changeset } and { changelog } read them).")
                        .optional("poll", BOOLEAN, true, "Let pollSCM poll this repository (kept for Jenkins compatibility; polling uses the job's source).")
                        .optional("depth", INTEGER, 0L, "Fetch only this many commits of history (a shallow clone); 0 fetches all.")
                        .needsWorkspace());
    }

    @Override
    public Object run(StepContext context, StepArguments args) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("url", args.string("url"));
        settings.put("branch", args.string("branch"));
        settings.put("credentialsId", args.string("credentialsId"));
        if (args.integer("depth") > 0) {
            settings.put("depth", args.integer("depth"));
        }
        return CheckoutRunner.run(context, GitSettings.source(settings), args.bool("changelog"));
    }
}
