package dev.gantry.plugins.notify;

import dev.gantry.api.notify.BuildEvent;
import dev.gantry.api.notify.Notifier;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The {@code commitStatus} notifier: the build's result as a commit status on GitHub, GitLab or
 * Gitea. Settings: {@code provider}, {@code repository}, {@code sha} (usually
 * {@code ${GIT_COMMIT}}, which the controller fills in from the build), {@code credentialsId},
 * {@code apiUrl}, {@code context}, {@code description}; the target URL is the build's page.
 */
@Extension
public class CommitStatusNotifier implements Notifier {

    @Override
    public String id() {
        return "commitStatus";
    }

    @Override
    public void notify(BuildEvent event, Map<String, Object> settings, SecretResolver secrets) throws IOException, InterruptedException {
        Settings s = new Settings(id(), settings);
        String credentialsId = s.required("credentialsId", "a secret text credential with the API token");
        String token = Secrets.secret(secrets, credentialsId, "the API token");
        String context = s.string("context") != null ? s.string("context") : "gantry";
        String description = s.string("description") != null ? s.string("description") : Settings.text(event).replaceFirst(": http.*$", "");
        CommitStatus.Status status = new CommitStatus.Status(s.required("provider", "github, gitlab or gitea"), s.string("apiUrl"),
                s.required("repository", "owner/name"), s.required("sha", "the commit, e.g. ${GIT_COMMIT}"), CommitStatus.state(event.result()),
                context, event.url(), description);
        CommitStatus.send(status, token, credentialsId, RetryPolicy.NONE, Redactor.of(List.of(token)), null);
    }
}
