package dev.gantry.plugins.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.api.credentials.Credential;
import dev.gantry.api.scm.ChangeSetEntry;
import dev.gantry.api.scm.ScmRevision;
import dev.gantry.testkit.PluginTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkout as a task on the workspace's node: the node's mirror, credentials only for the task, the JSON answer. */
class CheckoutTaskTest {

    @AfterEach
    void defaults() {
        GitCache.root(null);
    }

    @Test
    void checkoutsBorrowTheNodesMirrorAndCloneAgainWhenTheMirrorIsGone(@TempDir Path tmp) throws Exception {
        GitCache.root(tmp.resolve("cache"));
        try (Repos repo = Repos.create(tmp.resolve("app"))) {
            RevCommit c = repo.commit("first", Map.of("a.txt", "1"));
            String pipeline = "node { git url: '" + repo.url() + "', branch: 'main'\n echo \"a=${readFile 'a.txt'} ${env.GIT_COMMIT}\" }";
            PluginTestKit.create().workspace(tmp.resolve("ws1")).run(pipeline).assertSuccess().assertLogContains("a=1 " + c.getName());
            Path alternates = tmp.resolve("ws1/.git/objects/info/alternates");
            assertTrue(Files.isRegularFile(alternates), "the workspace borrows objects");
            Path mirrorObjects = Path.of(Files.readString(alternates).strip());
            assertTrue(mirrorObjects.startsWith(tmp.resolve("cache")) && mirrorObjects.toString().endsWith(".mirror.git/objects"), mirrorObjects.toString());
            assertEquals(0, objectFiles(tmp.resolve("ws1/.git/objects")), "no object is copied into the workspace");

            RevCommit c2 = repo.commit("second", Map.of("a.txt", "2"));
            PluginTestKit.create().workspace(tmp.resolve("ws2")).run(pipeline).assertSuccess().assertLogContains("a=2 " + c2.getName());
            assertEquals(Files.readString(alternates), Files.readString(tmp.resolve("ws2/.git/objects/info/alternates")), "one mirror per repository");

            FileUtils.delete(tmp.resolve("cache").toFile(), FileUtils.RECURSIVE);
            PluginTestKit.create().workspace(tmp.resolve("ws1")).run(pipeline).assertSuccess()
                    .assertLogContains("the mirror the clone in " + tmp.resolve("ws1") + " borrowed objects from is gone; cloning again")
                    .assertLogContains("a=2 " + c2.getName());
        }
    }

    @Test
    void anSshKeyIsOnTheNodesDiskOnlyWhileTheTaskRunsAndNeverInTheLog(@TempDir Path tmp) throws Exception {
        Path scratch = tmp.resolve("ssh");
        Files.createDirectories(scratch.resolve(GitAuth.SSH_DIR_PREFIX + "left-by-a-killed-agent"));
        GitAuth.scratchRoot(scratch);
        assertEquals(List.of(), list(scratch), "leftovers of a killed process are deleted at start");
        try (Repos repo = Repos.create(tmp.resolve("repos/app"));
             GitServers.Ssh ssh = new GitServers.Ssh(tmp.resolve("repos"), tmp.resolve("hostkey.ser"))) {
            RevCommit c = repo.commit("first", Map.of("a.txt", "over ssh"));
            String privateKey = ssh.clientPrivateKey();
            Credential key = new Credential("deploy-key", "sshUserPrivateKey",
                    Map.of("username", "git", "privateKey", privateKey, "knownHosts", ssh.knownHostsLine()), Set.of("privateKey"));
            String keyLine = privateKey.lines().skip(1).findFirst().orElseThrow();
            PluginTestKit.TestRun ok = PluginTestKit.create().workspace(tmp.resolve("ok")).credential(key)
                    .run("node { git url: '" + ssh.url("app") + "', credentialsId: 'deploy-key'\n echo \"a=${readFile 'a.txt'} ${env.GIT_COMMIT}\" }")
                    .assertSuccess().assertLogContains("a=over ssh " + c.getName()).assertLogDoesNotContain(keyLine);
            assertEquals(List.of(), list(scratch), "the key is deleted when the task ends");
            assertFalse(Files.readString(ok.workspace().resolve(".git/config")).contains(keyLine));

            Credential unknownHost = new Credential("deploy-key", "sshUserPrivateKey",
                    Map.of("username", "git", "privateKey", privateKey), Set.of("privateKey"));
            PluginTestKit.create().workspace(tmp.resolve("failed")).credential(unknownHost)
                    .run("node { git url: '" + ssh.url("app") + "', credentialsId: 'deploy-key' }")
                    .assertResult(Result.FAILURE).assertLogDoesNotContain(keyLine);
            assertEquals(List.of(), list(scratch), "also when the task fails");
        } finally {
            GitAuth.scratchRoot(tmp.resolve("other"));
        }
    }

    @Test
    void theAnswerCrossesTheNetworkAsJsonAndBackUnchanged() {
        ScmRevision revision = new ScmRevision("0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "main", null,
                Map.of("GIT_COMMIT", "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "GIT_BRANCH", "origin/main"));
        List<ChangeSetEntry> changes = List.of(new ChangeSetEntry("0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", "Ada", "ada@example.org",
                Instant.parse("2026-11-22T07:00:00Z"), "fix: the parser\n\nbody", List.of("src/app.js", "src/b.js")));
        GitScmProvider.Outcome back = CheckoutTask.fromJson(CheckoutTask.toJson(new GitScmProvider.Outcome(revision, changes)));
        assertEquals(revision, back.revision());
        assertEquals(changes, back.changes());
    }

    @Test
    void theTasksMessagesMaskTheCredentialsSecrets() {
        Credential c = new Credential("forge", "usernamePassword", Map.of("username", "ada", "password", "s3cret-pw"), Set.of("password"));
        assertEquals("git: https://ada:****@forge.test failed (****)",
                CheckoutTask.MaskingConsole.mask("git: https://ada:s3cret-pw@forge.test failed (s3cret-pw)", c));
    }

    private static long objectFiles(Path objects) throws Exception {
        try (Stream<Path> s = Files.walk(objects)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("alternates")).count();
        }
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
