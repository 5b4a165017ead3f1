package dev.gantry.plugins.notify;

import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.support.SimpleStep;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code commitStatus provider: 'github', repository: 'acme/api', sha: env.GIT_COMMIT, state: 'pending', credentialsId: 'gh-token'}:
 * sets a commit status on GitHub, GitLab or Gitea. The state defaults to the build's result so
 * far; the target URL to the build's page ({@code BUILD_URL}).
 */
@Extension
public class CommitStatusStep extends SimpleStep {

    public CommitStatusStep() {
        super("commitStatus", "Sets a commit status on GitHub, GitLab or Gitea with a token from a credential;"
                        + " an unreachable forge warns and the build goes on unless failOnError is true.",
                d -> d.choice("provider", true, null, CommitStatus.PROVIDERS, "The forge: github, gitlab or gitea.")
                        .required("credentialsId", STRING, "A secret text credential holding the API token.")
                        .required("repository", STRING, "owner/name (GitLab: the project's path or numeric id).")
                        .optional("sha", STRING, null, "The commit (default: GIT_COMMIT of the environment).")
                        .choice("state", false, null, CommitStatus.STATES, "pending, running, success, failure, error or canceled (default: from the build's result so far).")
                        .optional("context", STRING, "gantry", "The name of the check.")
                        .optional("description", STRING, null, "One line shown beside the status.")
                        .optional("targetUrl", STRING, null, "Where the status links to (default: BUILD_URL).")
                        .optional("apiUrl", STRING, null, "The API's base URL (default GitHub's or gitlab.com's; required for Gitea).")
                        .optional("failOnError", BOOLEAN, false, "Fail the build when the status cannot be set."));
    }

    @Override
    public Object run(StepContext context, StepArguments args) throws InterruptedException {
        String credentialsId = args.string("credentialsId");
        String token = Secrets.secret(context, credentialsId, "the " + args.string("provider") + " API token");
        Redactor redactor = Redactor.of(List.of(token));
        String sha = args.string("sha") != null ? args.string("sha") : context.environment().get("GIT_COMMIT");
        String state = args.string("state") != null ? args.string("state") : CommitStatus.state(context.run().result());
        String targetUrl = args.string("targetUrl") != null ? args.string("targetUrl") : context.environment().get("BUILD_URL");
        CommitStatus.Status status = new CommitStatus.Status(args.string("provider"), args.string("apiUrl"), args.string("repository"),
                sha, state, args.string("context"), targetUrl, args.string("description"));
        return Deliveries.run(context, "commitStatus", args.bool("failOnError"), redactor, () -> {
            Map<String, Object> out = CommitStatus.send(status, token, credentialsId, RetryPolicy.from(context.environment()), redactor,
                    m -> context.console().println("commitStatus: " + m));
            context.console().println("commitStatus: " + args.string("repository") + "@" + abbreviate(sha) + " is " + out.get("state")
                    + " (" + args.string("context") + ") on " + args.string("provider"));
            return out;
        });
    }

    private static String abbreviate(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
