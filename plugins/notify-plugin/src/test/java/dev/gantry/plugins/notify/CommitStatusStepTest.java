package dev.gantry.plugins.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.Result;
import dev.gantry.testkit.PluginTestKit;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitStatusStepTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void postsAGitHubStatusWithABearerToken() throws Exception {
        try (Receiver github = new Receiver("{\"id\":1}", 201)) {
            PluginTestKit.create().credential(Fixtures.secretText("gh", "ghp_secret"))
                    .run("node { commitStatus provider: 'github', apiUrl: '" + github.base() + "', repository: 'acme/api', sha: '" + SHA + "',"
                            + " state: 'running', context: 'ci/gantry', description: 'Building', targetUrl: 'http://ci/job/1', credentialsId: 'gh' }")
                    .assertSuccess()
                    .assertLogContains("commitStatus: acme/api@0123456789ab is pending (ci/gantry) on github")
                    .assertLogDoesNotContain("ghp_secret");
            Receiver.Received r = github.next();
            assertEquals("/repos/acme/api/statuses/" + SHA, r.path());
            assertEquals("Bearer ghp_secret", r.header("Authorization"));
            assertEquals("application/vnd.github+json", r.header("Accept"));
            assertEquals(Map.of("state", "pending", "context", "ci/gantry", "target_url", "http://ci/job/1", "description", "Building"),
                    JSON.readValue(r.body(), Map.class));
        }
    }

    @Test
    void postsAGitLabStatusToTheProjectByItsEncodedPath() throws Exception {
        try (Receiver gitlab = new Receiver("{}", 201)) {
            PluginTestKit.create().credential(Fixtures.secretText("gl", "glpat-secret"))
                    .run("node { currentBuild.result = 'FAILURE'\n commitStatus provider: 'gitlab', apiUrl: '" + gitlab.url("/api/v4") + "',"
                            + " repository: 'group/sub/api', sha: '" + SHA + "', credentialsId: 'gl' }")
                    .assertResult(Result.FAILURE)
                    .assertLogContains("is failed (gantry) on gitlab");
            Receiver.Received r = gitlab.next();
            assertEquals("/api/v4/projects/group%2Fsub%2Fapi/statuses/" + SHA, r.path());
            assertEquals("glpat-secret", r.header("PRIVATE-TOKEN"));
            assertEquals(Map.of("state", "failed", "name", "gantry"), JSON.readValue(r.body(), Map.class));
        }
    }

    @Test
    void postsAGiteaStatusWithATokenHeaderAndTheStateOfTheBuildSoFar() throws Exception {
        try (Receiver gitea = new Receiver("{}", 201)) {
            PluginTestKit.create().credential(Fixtures.secretText("gt", "gitea-secret"))
                    .run("node { withEnv(['GIT_COMMIT=" + SHA + "']) { commitStatus provider: 'gitea', apiUrl: '" + gitea.url("/api/v1/") + "',"
                            + " repository: 'acme/api', credentialsId: 'gt' } }")
                    .assertSuccess();
            Receiver.Received r = gitea.next();
            assertEquals("/api/v1/repos/acme/api/statuses/" + SHA, r.path());
            assertEquals("token gitea-secret", r.header("Authorization"));
            assertEquals(Map.of("state", "success", "context", "gantry"), JSON.readValue(r.body(), Map.class));
        }
    }

    @Test
    void aMissingShaFailsTheStepSayingWhereToGetOne() {
        PluginTestKit.create().credential(Fixtures.secretText("gh", "ghp_secret"))
                .run("node { commitStatus provider: 'github', repository: 'acme/api', credentialsId: 'gh' }")
                .assertResult(Result.FAILURE)
                .assertLogContains("sha must be a commit id (7 to 64 hex digits), not 'null'; in a pipeline after checkout use sha: env.GIT_COMMIT");
    }

    @Test
    void aForgeThatIsDownWarnsAndTheBuildGoesOn() throws Exception {
        PluginTestKit.create().credential(Fixtures.secretText("gh", "ghp_secret"))
                .run("node { withEnv(['GANTRY_NOTIFY_RETRIES=0']) { commitStatus provider: 'github', apiUrl: 'http://127.0.0.1:" + Receiver.closedPort()
                        + "', repository: 'acme/api', sha: '" + SHA + "', credentialsId: 'gh' } }")
                .assertSuccess()
                .assertLogContains("WARNING: commitStatus: cannot deliver to github status API at http://127.0.0.1:")
                .assertLogDoesNotContain("ghp_secret");
    }
}
