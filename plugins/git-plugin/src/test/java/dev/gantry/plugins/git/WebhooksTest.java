package dev.gantry.plugins.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.scm.PushEvent;
import dev.gantry.api.scm.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Payloads shaped like the forges' documented push examples (trimmed to the fields that matter and a few around them). */
class WebhooksTest {
    static final String GITHUB_PUSH = """
            {"ref": "refs/heads/main", "before": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
             "after": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "created": false, "deleted": false, "forced": false,
             "repository": {"id": 186853002, "name": "Hello-World", "full_name": "octocat/Hello-World",
               "html_url": "https://github.com/octocat/Hello-World", "git_url": "git://github.com/octocat/Hello-World.git",
               "ssh_url": "git@github.com:octocat/Hello-World.git", "clone_url": "https://github.com/octocat/Hello-World.git",
               "default_branch": "main"},
             "pusher": {"name": "octocat", "email": "octocat@github.com"},
             "head_commit": {"id": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "message": "Update README.md"}}
            """;
    static final String GITLAB_PUSH = """
            {"object_kind": "push", "event_name": "push", "before": "95790bf891e76fee5e1747ab589903a6a1f80f22",
             "after": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "ref": "refs/heads/master",
             "checkout_sha": "da1560886d4f094c3e6c9ef40349f7d38b5d27d7", "user_name": "John Smith",
             "project": {"id": 15, "name": "Diaspora", "web_url": "http://example.com/mike/diaspora",
               "git_ssh_url": "git@example.com:mike/diaspora.git", "git_http_url": "http://example.com/mike/diaspora.git",
               "default_branch": "master"},
             "repository": {"name": "Diaspora", "url": "git@example.com:mike/diaspora.git",
               "homepage": "http://example.com/mike/diaspora", "git_http_url": "http://example.com/mike/diaspora.git",
               "git_ssh_url": "git@example.com:mike/diaspora.git"},
             "total_commits_count": 4}
            """;
    static final String GITEA_TAG_PUSH = """
            {"ref": "refs/tags/v1.0", "before": "0000000000000000000000000000000000000000",
             "after": "bffeb74224043ba2feb48d137756c8a9331c449a", "compare_url": "",
             "repository": {"id": 140, "name": "webhooks", "full_name": "gitea/webhooks",
               "html_url": "http://localhost:3000/gitea/webhooks", "ssh_url": "ssh://gitea@localhost:2222/gitea/webhooks.git",
               "clone_url": "http://localhost:3000/gitea/webhooks.git", "default_branch": "master"},
             "pusher": {"login": "gitea"}}
            """;

    static String sign(String secret, String body) {
        return HexFormat.of().formatHex(Webhooks.hmac(secret, body.getBytes(StandardCharsets.UTF_8)));
    }

    static WebhookRequest request(String body, String... headers) {
        Map<String, List<String>> h = new java.util.LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], List.of(headers[i + 1]));
        }
        return new WebhookRequest(h, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aGithubPushWithAValidSignatureNamesTheRepositoryBranchAndCommit() {
        Optional<PushEvent> e = Webhooks.parse(request(GITHUB_PUSH, "X-GitHub-Event", "push",
                "X-Hub-Signature-256", "sha256=" + sign("It's a Secret to Everybody", GITHUB_PUSH)), "It's a Secret to Everybody");
        assertTrue(e.isPresent());
        assertEquals("main", e.get().branch());
        assertEquals(null, e.get().tag());
        assertEquals("0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", e.get().revision());
        assertTrue(e.get().repositoryUrl().contains("https://github.com/octocat/Hello-World.git"));
        assertTrue(e.get().repositoryUrl().contains("git@github.com:octocat/Hello-World.git"));
    }

    @Test
    void aGithubPushWithAWrongMissingOrUncheckableSignatureIsRefused() {
        assertThrows(SecurityException.class, () -> Webhooks.parse(request(GITHUB_PUSH, "X-GitHub-Event", "push",
                "X-Hub-Signature-256", "sha256=" + sign("another secret", GITHUB_PUSH)), "It's a Secret to Everybody"));
        assertThrows(SecurityException.class, () -> Webhooks.parse(request(GITHUB_PUSH, "X-GitHub-Event", "push"), "s"));
        assertThrows(SecurityException.class, () -> Webhooks.parse(request(GITHUB_PUSH, "X-GitHub-Event", "push",
                "X-Hub-Signature-256", "sha256=" + sign("s", GITHUB_PUSH)), null));
        String tampered = GITHUB_PUSH.replace("refs/heads/main", "refs/heads/evil");
        assertThrows(SecurityException.class, () -> Webhooks.parse(request(tampered, "X-GitHub-Event", "push",
                "X-Hub-Signature-256", "sha256=" + sign("s", GITHUB_PUSH)), "s"));
    }

    @Test
    void aGithubPingIsNoPushAndAnUnsignedPushWithoutSecretIsAccepted() {
        String ping = "{\"zen\": \"Design for failure.\", \"hook_id\": 1}";
        assertEquals(Optional.empty(), Webhooks.parse(request(ping, "X-GitHub-Event", "ping", "X-Hub-Signature-256", "sha256=" + sign("s", ping)), "s"));
        assertTrue(Webhooks.parse(request(GITHUB_PUSH, "X-GitHub-Event", "push"), null).isPresent());
    }

    @Test
    void aGitlabPushIsCheckedByItsToken() {
        Optional<PushEvent> e = Webhooks.parse(request(GITLAB_PUSH, "X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", "tok"), "tok");
        assertEquals("master", e.orElseThrow().branch());
        assertEquals("da1560886d4f094c3e6c9ef40349f7d38b5d27d7", e.get().revision());
        assertTrue(e.get().repositoryUrl().contains("http://example.com/mike/diaspora.git"));
        assertThrows(SecurityException.class, () -> Webhooks.parse(request(GITLAB_PUSH, "X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", "nope"), "tok"));
        assertThrows(SecurityException.class, () -> Webhooks.parse(request(GITLAB_PUSH, "X-Gitlab-Event", "Push Hook"), "tok"));
    }

    @Test
    void aGiteaTagPushIsCheckedByItsSignatureWithoutPrefix() {
        Optional<PushEvent> e = Webhooks.parse(request(GITEA_TAG_PUSH, "X-Gitea-Event", "push", "X-GitHub-Event", "push",
                "X-Gitea-Signature", sign("gitea-secret", GITEA_TAG_PUSH)), "gitea-secret");
        assertEquals("v1.0", e.orElseThrow().tag());
        assertEquals(null, e.get().branch());
        assertTrue(e.get().repositoryUrl().contains("http://localhost:3000/gitea/webhooks.git"));
        assertThrows(SecurityException.class, () -> Webhooks.parse(request(GITEA_TAG_PUSH, "X-Gitea-Event", "push",
                "X-Gitea-Signature", sign("other", GITEA_TAG_PUSH)), "gitea-secret"));
    }

    @Test
    void aDeletedBranchHasNoRevisionAndAnUnknownSenderIsNotForGit() {
        String deleted = GITHUB_PUSH.replace("\"deleted\": false", "\"deleted\": true");
        assertEquals(null, Webhooks.parse(request(deleted, "X-GitHub-Event", "push"), null).orElseThrow().revision());
        assertEquals(Optional.empty(), Webhooks.parse(request("{}", "X-Bitbucket-Event", "repo:push"), "s"));
    }
}
