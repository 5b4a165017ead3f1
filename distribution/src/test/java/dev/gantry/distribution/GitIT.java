package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled git plugin on the built distribution, end to end: {@code gantry run} with a
 * {@code git} checkout, a job whose pipeline comes from a repository built by a signed GitHub
 * push webhook with its changes in the API (a replayed delivery ignored, also after a restart),
 * multibranch projects made through the API and from a definition file, and an SSH checkout with
 * an SSH key credential on a remote {@code gantry agent} process (the plugin loaded there by PF4J).
 */
class GitIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private Process server;
    private URI base;

    @AfterEach
    void stopServer() throws Exception {
        Gantry.stop(server);
    }

    @Test
    void gantryRunChecksOutALocalRepositoryWithTheBundledGitPlugin() throws Exception {
        try (Git git = repo(dir.resolve("app"))) {
            RevCommit c = commit(git, "first", Map.of("README", "hello from git"));
            Path ws = Files.createDirectories(dir.resolve("ws"));
            Path jenkinsfile = Files.writeString(dir.resolve("Jenkinsfile"), "node {\n git url: '" + url(git) + "', branch: 'main'\n"
                    + " echo \"commit ${env.GIT_COMMIT}\"\n sh 'cat README'\n}\n");
            Gantry.run(dir, 120, Map.of("GANTRY_HOME", Files.createDirectories(dir.resolve("home")).toString()),
                            "run", jenkinsfile.toString(), "--workspace", ws.toString())
                    .assertExit(0).assertOutput("commit " + c.getName(), "hello from git");
        }
    }

    @Test
    void aJobFromARepositoryIsBuiltByASignedPushWebhookWithItsChangesInTheApi() throws Exception {
        try (Git git = repo(dir.resolve("app"))) {
            commit(git, "first", Map.of("Jenkinsfile", """
                    pipeline {
                        agent any
                        stages {
                            stage('Show') { steps {
                                echo "built ${env.GIT_COMMIT} previous ${env.GIT_PREVIOUS_SUCCESSFUL_COMMIT} readme ${readFile 'README'}" } }
                            stage('Frontend') { when { changeset '**/*.js' }
                                steps { echo 'JS CHANGED' } }
                        }
                    }
                    """, "README", "x"));
            Path home = Files.createDirectories(dir.resolve("home"));
            Files.writeString(home.resolve("webhook-secret"), "It's a Secret to Everybody\n");
            start(home);
            HttpResponse<String> put = send("PUT", "api/v1/jobs/app", JSON.writeValueAsString(Map.of("scm", Map.of("url", url(git), "branch", "main"))), Map.of());
            assertTrue(put.statusCode() == 200 || put.statusCode() == 201, put.body());
            send("POST", "api/v1/jobs/app/builds", "{}", Map.of());
            JsonNode first = awaitBuild("app", 1);
            assertEquals("SUCCESS", first.path("result").asText(), log("app", 1));
            assertFalse(log("app", 1).contains("JS CHANGED"), "a first build has no changes");
            assertTrue(log("app", 1).contains("Declarative: Checkout SCM"), "the default checkout of a pipeline from a repository: " + log("app", 1));
            assertTrue(log("app", 1).contains("readme x"), log("app", 1));

            RevCommit change = commit(git, "frontend: a button", Map.of("web/app.js", "button()"));
            String payload = githubPush(url(git), "main", change.getName());
            HttpResponse<String> forged = send("POST", "api/v1/webhooks/git", payload, Map.of("X-GitHub-Event", "push",
                    "X-GitHub-Delivery", "d-0", "X-Hub-Signature-256", "sha256=" + hmac("another secret", payload)));
            assertEquals(401, forged.statusCode(), forged.body());
            assertTrue(forged.body().contains("signature does not match"), forged.body());

            Map<String, String> headers = Map.of("X-GitHub-Event", "push", "X-GitHub-Delivery", "d-1",
                    "X-Hub-Signature-256", "sha256=" + hmac("It's a Secret to Everybody", payload));
            HttpResponse<String> hook = send("POST", "api/v1/webhooks/git", payload, headers);
            assertEquals(200, hook.statusCode(), hook.body());
            assertEquals(List.of("app"), List.of(JSON.readValue(JSON.readTree(hook.body()).path("triggered").toString(), String[].class)));
            JsonNode second = awaitBuild("app", 2);
            String log = log("app", 2);
            assertEquals("SUCCESS", second.path("result").asText(), log);
            assertTrue(log.contains("JS CHANGED"), log);
            assertTrue(log.contains("built " + change.getName() + " previous "), log);
            JsonNode changeSet = second.path("changeSets").path(0);
            assertEquals(change.getName(), changeSet.path("revision").asText(), second.toString());
            assertEquals("frontend: a button", changeSet.path("items").path(0).path("msg").asText(), second.toString());
            assertEquals("web/app.js", changeSet.path("items").path(0).path("affectedPaths").path(0).asText(), second.toString());
            assertTrue(second.path("cause").asText().contains("GitHub push"), second.toString());
            String page = get("job/app/~2").body();
            assertTrue(page.contains(change.getName().substring(0, 12)) && page.contains("frontend: a button") && page.contains("web/app.js"),
                    "the build page lists the commit: " + page);

            HttpResponse<String> again = send("POST", "api/v1/webhooks/git", payload, headers);
            assertTrue(JSON.readTree(again.body()).path("duplicate").asBoolean(), again.body());
            assertEquals(2, JSON.readTree(get("api/v1/jobs/app/builds").body()).path("builds").size(), "the repeated delivery started nothing");

            // The delivery ids are kept in the controller's database: a replay after a restart is still a replay.
            stopServer();
            start(home);
            HttpResponse<String> replayed = send("POST", "api/v1/webhooks/git", payload, headers);
            assertEquals(200, replayed.statusCode(), replayed.body());
            assertTrue(JSON.readTree(replayed.body()).path("duplicate").asBoolean(), "replayed after a restart: " + replayed.body());
            assertEquals(2, JSON.readTree(get("api/v1/jobs/app/builds").body()).path("builds").size(), "the replay started nothing");
        }
    }

    @Test
    void pollingBuildsAnInlinePipelineWhenTheRepositoryItChecksOutMoved() throws Exception {
        try (Git git = repo(dir.resolve("lib"))) {
            commit(git, "first", Map.of("v.txt", "1"));
            start(Files.createDirectories(dir.resolve("home")));
            String script = "pipeline {\n agent any\n triggers { pollSCM('H/15 * * * *') }\n stages { stage('s') { steps {\n"
                    + "  git url: '" + url(git) + "', branch: 'main'\n  echo \"v=${readFile 'v.txt'}\" } } }\n}\n";
            HttpResponse<String> put = send("PUT", "api/v1/jobs/lib", JSON.writeValueAsString(Map.of("script", script)), Map.of());
            assertTrue(put.statusCode() == 200 || put.statusCode() == 201, put.body());
            send("POST", "api/v1/jobs/lib/builds", "{}", Map.of());
            assertEquals("SUCCESS", awaitBuild("lib", 1).path("result").asText(), log("lib", 1));

            String notify = "api/v1/webhooks/git/notifyCommit?url=" + java.net.URLEncoder.encode(url(git), StandardCharsets.UTF_8);
            assertEquals("[]", JSON.readTree(send("POST", notify, "", Map.of()).body()).path("triggered").toString(), "nothing moved");
            commit(git, "second", Map.of("v.txt", "2"));
            HttpResponse<String> moved = send("POST", notify, "", Map.of());
            assertEquals("[\"lib\"]", JSON.readTree(moved.body()).path("triggered").toString(), moved.body());
            JsonNode second = awaitBuild("lib", 2);
            assertEquals("Started by an SCM change (notifyCommit)", second.path("cause").asText(), second.toString());
            assertTrue(log("lib", 2).contains("v=2"), log("lib", 2));
        }
    }

    @Test
    void aMultibranchProjectDiscoversBranchesBuildsThemAndDropsADeletedOne() throws Exception {
        try (Git git = repo(dir.resolve("shop"))) {
            String pipeline = """
                    pipeline {
                        agent any
                        stages {
                            stage('Build') { steps { echo "building ${env.BRANCH_NAME}" } }
                            stage('Release') { when { branch 'main' }
                                steps { echo 'RELEASING' } }
                        }
                    }
                    """;
            commit(git, "first", Map.of("Jenkinsfile", pipeline));
            git.checkout().setCreateBranch(true).setName("feature/login").call();
            commit(git, "login", Map.of("login.txt", "form"));
            git.checkout().setCreateBranch(true).setName("notes").call();
            git.rm().addFilepattern("Jenkinsfile").call();
            commit(git, "no pipeline here", Map.of("notes.txt", "n"));
            git.checkout().setName("main").call();
            start(Files.createDirectories(dir.resolve("home")));

            HttpResponse<String> put = send("PUT", "api/v1/multibranch/shop", JSON.writeValueAsString(Map.of("url", url(git))), Map.of());
            assertEquals(200, put.statusCode(), put.body());
            JsonNode scan = JSON.readTree(put.body()).path("scan");
            assertEquals("[\"shop/feature_login\",\"shop/main\"]", scan.path("created").toString(), put.body());

            assertEquals("SUCCESS", awaitBuild("shop/main", 1).path("result").asText(), log("shop/main", 1));
            assertEquals("SUCCESS", awaitBuild("shop/feature_login", 1).path("result").asText(), log("shop/feature_login", 1));
            assertTrue(log("shop/main", 1).contains("building main"), log("shop/main", 1));
            assertTrue(log("shop/main", 1).contains("RELEASING"), log("shop/main", 1));
            assertTrue(log("shop/feature_login", 1).contains("building feature/login"), log("shop/feature_login", 1));
            assertFalse(log("shop/feature_login", 1).contains("RELEASING"), log("shop/feature_login", 1));

            // A push to main (unsigned: this controller has no webhook secret) builds main's job.
            RevCommit next = commit(git, "more", Map.of("more.txt", "1"));
            HttpResponse<String> hook = send("POST", "api/v1/webhooks/git", giteaPush(url(git), "main", next.getName()),
                    Map.of("X-Gitea-Event", "push", "X-Gitea-Delivery", "g-1"));
            assertEquals(200, hook.statusCode(), hook.body());
            assertTrue(hook.body().contains("shop/main"), hook.body());
            assertEquals("SUCCESS", awaitBuild("shop/main", 2).path("result").asText());

            git.branchDelete().setBranchNames("feature/login").setForce(true).call();
            HttpResponse<String> rescan = send("POST", "api/v1/multibranch/shop/scan", "", Map.of());
            assertEquals(200, rescan.statusCode(), rescan.body());
            assertEquals("[\"shop/feature_login\"]", JSON.readTree(rescan.body()).path("deleted").toString(), rescan.body());
            assertEquals(404, get("api/v1/jobs/shop/feature_login").statusCode());
            assertEquals(200, get("api/v1/jobs/shop/main").statusCode());
        }
    }

    @Test
    void aMultibranchProjectFromADefinitionFileIsScannedAndBuilt() throws Exception {
        try (Git git = repo(dir.resolve("shop"))) {
            commit(git, "first", Map.of("ci/Jenkinsfile", "pipeline { agent any\n stages { stage('b') { steps { echo \"building ${env.BRANCH_NAME}\" } } } }"));
            git.checkout().setCreateBranch(true).setName("feature/x").call();
            git.checkout().setName("main").call();
            start(Files.createDirectories(dir.resolve("home")));
            Path jobs = Files.writeString(dir.resolve("jobs.yaml"), """
                    - name: tools/hello
                      script: node { echo 'hello' }
                    - name: shop
                      kind: multibranch
                      scm:
                        url: %s
                        path: ci/Jenkinsfile
                    """.formatted(url(git)));
            Gantry.run(dir, 120, "job", "apply", jobs.toString(), "--url", base.toString())
                    .assertExit(0).assertOutput("created\ttools/hello\tversion 1", "created\tshop\tmultibranch project");
            assertEquals("SUCCESS", awaitBuild("shop/main", 1).path("result").asText(), log("shop/main", 1));
            assertEquals("SUCCESS", awaitBuild("shop/feature_x", 1).path("result").asText(), log("shop/feature_x", 1));
            assertTrue(log("shop/feature_x", 1).contains("building feature/x"), log("shop/feature_x", 1));
            assertTrue(log("shop/main", 1).contains("building main"), log("shop/main", 1));
            assertEquals(200, get("api/v1/multibranch/shop").statusCode());
            Gantry.run(dir, 120, "job", "apply", jobs.toString(), "--url", base.toString())
                    .assertExit(0).assertOutput("unchanged\tshop\tmultibranch project");

            Path bad = Files.writeString(dir.resolve("bad.yaml"), """
                    name: shop2
                    kind: multibranch
                    scm:
                      url: %s
                      branch: main
                    """.formatted(url(git)));
            Gantry.run(dir, 120, "job", "apply", bad.toString(), "--url", base.toString())
                    .assertExit(2).assertOutput(bad + ":5:11: a multibranch project builds every branch and tag holding its pipeline file");
        }
    }

    @Test
    void anSshCheckoutRunsOnARemoteAgentWithAnSshKeyCredentialThatDoesNotStayThere() throws Exception {
        Path repos = Files.createDirectories(dir.resolve("repos"));
        try (Git git = repo(repos.resolve("app")); SshGitServer ssh = new SshGitServer(repos, dir.resolve("hostkey.ser"));
             Cluster c = new Cluster(dir, 30)) {
            RevCommit first = commit(git, "first", Map.of("README", "over ssh"));
            c.startServer();
            Map<String, Object> credential = Map.of("id", "deploy-key", "type", "sshUserPrivateKey",
                    "fields", Map.of("username", "git", "privateKey", ssh.clientPrivateKey(), "knownHosts", ssh.knownHostsLine()));
            HttpResponse<String> created = c.send("POST", "api/v1/credentials", credential);
            assertEquals(201, created.statusCode(), created.body());
            c.startAgent("remote-1", c.createAgent("remote-1", "remote"));
            c.awaitOnline("remote-1");
            String script = "node('remote') {\n"
                    + "  def v = git url: '" + ssh.url("app") + "', branch: 'main', credentialsId: 'deploy-key'\n"
                    + "  echo \"commit ${v.GIT_COMMIT} env ${env.GIT_COMMIT} previous ${env.GIT_PREVIOUS_COMMIT}\"\n"
                    + "  sh 'echo \"readme $(cat README) on $NODE_NAME\"'\n"
                    + "  withCredentials([sshUserPrivateKey(credentialsId: 'deploy-key', keyFileVariable: 'K')]) {\n"
                    + "    sh 'echo \"key mode $(stat -c %a \"$K\") at $K\"'\n"
                    + "  }\n"
                    + "}\n";
            int n = c.trigger("ssh-app", script);
            JsonNode build = c.awaitBuild("ssh-app", n, java.time.Duration.ofSeconds(180));
            String log = c.log("ssh-app", n);
            assertEquals("SUCCESS", build.path("result").asText(), log + "\nagent:\n" + Gantry.read(c.agentLog("remote-1")));
            Path agentDir = dir.resolve("agent-remote-1");
            Path ws = agentDir.resolve("workspace/ssh-app");
            assertTrue(log.contains("git: cloning " + ssh.url("app") + " (branch main) into " + ws), log);
            assertTrue(log.contains("commit " + first.getName() + " env " + first.getName()), log);
            assertTrue(log.contains("readme over ssh on remote-1"), log);
            assertTrue(log.contains("key mode 600 at " + agentDir.resolve("workspace/ssh-app@tmp")), log);
            String alternates = Files.readString(ws.resolve(".git/objects/info/alternates")).strip();
            assertTrue(alternates.startsWith(agentDir.resolve("plugins/data/git/cache").toString()) && alternates.endsWith(".mirror.git/objects"),
                    "the clone borrows from the agent's mirror: " + alternates);
            assertTrue(Gantry.read(c.agentLog("remote-1")).contains("plugin git 0.1.0 loaded"), Gantry.read(c.agentLog("remote-1")));

            RevCommit second = commit(git, "frontend: a button", Map.of("web/app.js", "button()"));
            int n2 = c.trigger("ssh-app", script);
            JsonNode build2 = c.awaitBuild("ssh-app", n2, java.time.Duration.ofSeconds(180));
            String log2 = c.log("ssh-app", n2);
            assertEquals("SUCCESS", build2.path("result").asText(), log2);
            assertTrue(log2.contains("git: fetching " + ssh.url("app")), log2);
            assertTrue(log2.contains("commit " + second.getName() + " env " + second.getName() + " previous " + first.getName()), log2);
            JsonNode changeSet = build2.path("changeSets").path(0);
            assertEquals(second.getName(), changeSet.path("revision").asText(), build2.toString());
            assertEquals("frontend: a button", changeSet.path("items").path(0).path("msg").asText(), build2.toString());
            assertEquals("web/app.js", changeSet.path("items").path(0).path("affectedPaths").path(0).asText(), build2.toString());

            // The key reached the agent for the checkout and the withCredentials block only.
            String keyLine = ssh.clientPrivateKey().lines().skip(1).findFirst().orElseThrow();
            for (String l : List.of(log, log2)) {
                assertFalse(l.contains(keyLine), "the key is not in the build log");
            }
            try (var files = Files.walk(agentDir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    if (Files.size(f) < 1_000_000) {
                        assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(keyLine), "the key stayed on the agent in " + f);
                    }
                }
            }
            assertTrue(Files.notExists(agentDir.resolve("plugins/data/git/ssh")) || isEmpty(agentDir.resolve("plugins/data/git/ssh")),
                    "nothing is left in the plugin's SSH scratch directory");
        }
    }

    private static boolean isEmpty(Path d) throws Exception {
        try (var s = Files.list(d)) {
            return s.findAny().isEmpty();
        }
    }

    /** An SSH git server (Apache MINA sshd with JGit's packs) that lets in one RSA key, the client's. */
    private static final class SshGitServer implements AutoCloseable {
        private final org.apache.sshd.server.SshServer server;
        private final java.security.KeyPair clientKey;

        SshGitServer(Path root, Path hostKey) throws Exception {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            clientKey = g.generateKeyPair();
            server = org.apache.sshd.server.SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(0);
            server.setKeyPairProvider(new org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider(hostKey));
            server.setPublickeyAuthenticator((user, key, session) -> org.apache.sshd.common.config.keys.KeyUtils.compareKeys(key, clientKey.getPublic()));
            server.setPasswordAuthenticator(null);
            server.setKeyboardInteractiveAuthenticator(null);
            server.setCommandFactory(new org.apache.sshd.git.pack.GitPackCommandFactory()
                    .withGitLocationResolver(org.apache.sshd.git.GitLocationResolver.constantPath(root)));
            server.start();
        }

        int port() {
            return ((java.net.InetSocketAddress) server.getBoundAddresses().iterator().next()).getPort();
        }

        String url(String repository) {
            return "ssh://git@127.0.0.1:" + port() + "/" + repository;
        }

        String knownHostsLine() throws Exception {
            java.security.PublicKey key = server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
            return "[127.0.0.1]:" + port() + " " + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(key);
        }

        String clientPrivateKey() throws Exception {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            new org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter().writePrivateKey(clientKey, "gantry-it", null, out);
            return out.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws Exception {
            server.stop(true);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Git repo(Path d) throws Exception {
        return Git.init().setDirectory(d.toFile()).setInitialBranch("main").call();
    }

    private static String url(Git git) {
        return "file://" + git.getRepository().getWorkTree().toPath().toAbsolutePath();
    }

    private static RevCommit commit(Git git, String message, Map<String, String> files) throws Exception {
        Path root = git.getRepository().getWorkTree().toPath();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = root.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
            git.add().addFilepattern(f.getKey()).call();
        }
        PersonIdent who = new PersonIdent("Ada Lovelace", "ada@example.org");
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
    }

    /** A push payload shaped like GitHub's documented example. */
    private static String githubPush(String cloneUrl, String branch, String after) throws Exception {
        return JSON.writeValueAsString(Map.of("ref", "refs/heads/" + branch, "before", "6113728f27ae82c7b1a177c8d03f9e96e0adf246", "after", after,
                "created", false, "deleted", false, "forced", false,
                "repository", Map.of("id", 186853002, "name", "app", "full_name", "octocat/app", "clone_url", cloneUrl, "default_branch", "main"),
                "pusher", Map.of("name", "octocat", "email", "octocat@github.com"),
                "head_commit", Map.of("id", after, "message", "frontend: a button")));
    }

    /** A push payload shaped like Gitea's documented example. */
    private static String giteaPush(String cloneUrl, String branch, String after) throws Exception {
        return JSON.writeValueAsString(Map.of("ref", "refs/heads/" + branch, "before", "0000000000000000000000000000000000000000", "after", after,
                "compare_url", "", "repository", Map.of("id", 140, "name", "shop", "full_name", "gitea/shop", "clone_url", cloneUrl,
                        "html_url", "http://localhost:3000/gitea/shop"), "pusher", Map.of("login", "gitea")));
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private void start(Path home) throws Exception {
        Gantry.Server s = Gantry.startServer(dir.resolve("server.txt"), List.of("--home", home.toString(), "--port", "0"));
        server = s.process();
        base = s.base();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(Gantry.request(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        // A forge calls webhooks without credentials (its signature is the proof); everything else signs in.
        HttpRequest.Builder b = (path.startsWith("api/v1/webhooks/") ? HttpRequest.newBuilder(base.resolve(path)) : Gantry.request(base.resolve(path)))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitBuild(String job, int number) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get("api/v1/jobs/" + job + "/builds/" + number);
            if (r.statusCode() == 200) {
                JsonNode b = JSON.readTree(r.body());
                if ("COMPLETED".equals(b.path("status").asText())) {
                    return b;
                }
            }
            seen.add(r.statusCode() + "");
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
        throw new AssertionError(job + " #" + number + " did not complete within 120 s; server output:\n" + Gantry.read(dir.resolve("server.txt")));
    }

    private String log(String job, int number) throws Exception {
        return get("api/v1/jobs/" + job + "/builds/" + number + "/log").body();
    }
}
