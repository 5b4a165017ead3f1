package dev.gantry.plugins.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.api.credentials.Credential;
import dev.gantry.api.scm.ScmCheckouts;
import dev.gantry.api.scm.ScmRevision;
import dev.gantry.engine.run.BuildScm;
import dev.gantry.testkit.PluginTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitStepTest {

    @Test
    void gitClonesABranchAndExportsItsVariables(@TempDir Path tmp) throws Exception {
        try (Repos repo = Repos.create(tmp.resolve("app"))) {
            RevCommit c = repo.commit("first", Map.of("README", "hello"));
            PluginTestKit.create().workspace(tmp.resolve("ws"))
                    .run("node {\n def v = git url: '" + repo.url() + "', branch: 'main'\n"
                            + " echo \"returned ${v.GIT_COMMIT}\"\n"
                            + " echo \"env ${env.GIT_COMMIT} ${env.GIT_BRANCH} ${env.BRANCH_NAME} ${env.GIT_URL}\"\n"
                            + " echo \"file ${readFile 'README'}\"\n}")
                    .assertSuccess()
                    .assertLogContains("returned " + c.getName())
                    .assertLogContains("env " + c.getName() + " origin/main main " + repo.url())
                    .assertLogContains("file hello");
        }
    }

    @Test
    void gitFetchesIntoAnExistingCloneAndTakesTheDefaultBranchWhenNoneIsNamed(@TempDir Path tmp) throws Exception {
        try (Repos repo = Repos.create(tmp.resolve("app"))) {
            repo.commit("first", Map.of("a.txt", "1"));
            Path ws = tmp.resolve("ws");
            String pipeline = "node { git '" + repo.url() + "'\n echo \"a=${readFile 'a.txt'} branch=${env.GIT_BRANCH}\" }";
            PluginTestKit.create().workspace(ws).run(pipeline).assertSuccess().assertLogContains("a=1 branch=origin/main");
            repo.commit("second", Map.of("a.txt", "2"));
            PluginTestKit.create().workspace(ws).run(pipeline).assertSuccess()
                    .assertLogContains("git: fetching").assertLogContains("a=2 branch=origin/main");
        }
    }

    @Test
    void gitChecksOutTagsCommitsAndShallowClones(@TempDir Path tmp) throws Exception {
        try (Repos repo = Repos.create(tmp.resolve("app"))) {
            RevCommit first = repo.commit("first", Map.of("v.txt", "1"));
            repo.tag("v1", true);
            RevCommit second = repo.commit("second", Map.of("v.txt", "2"));
            repo.tag("light", false);
            repo.commit("third", Map.of("v.txt", "3"));

            PluginTestKit.create().workspace(tmp.resolve("tag"))
                    .run("node { git url: '" + repo.url() + "', branch: 'refs/tags/v1'\n echo \"v=${readFile 'v.txt'} tag=${env.TAG_NAME} commit=${env.GIT_COMMIT}\" }")
                    .assertSuccess().assertLogContains("v=1 tag=v1 commit=" + first.getName());
            PluginTestKit.create().workspace(tmp.resolve("light"))
                    .run("node { git url: '" + repo.url() + "', branch: 'light'\n echo \"v=${readFile 'v.txt'} tag=${env.TAG_NAME}\" }")
                    .assertSuccess().assertLogContains("v=2 tag=light");
            PluginTestKit.create().workspace(tmp.resolve("commit"))
                    .run("node { git url: '" + repo.url() + "', branch: '" + second.getName() + "'\n echo \"v=${readFile 'v.txt'}\" }")
                    .assertSuccess().assertLogContains("v=2");
            PluginTestKit.TestRun shallow = PluginTestKit.create().workspace(tmp.resolve("shallow"))
                    .run("node { git url: '" + repo.url() + "', branch: 'main', depth: 1\n echo \"v=${readFile 'v.txt'}\" }")
                    .assertSuccess().assertLogContains("v=3").assertLogContains("depth 1");
            assertTrue(Files.exists(shallow.workspace().resolve(".git/shallow")), "a shallow clone records its boundary in .git/shallow");
        }
    }

    @Test
    void anUnknownBranchFailsTheStepNamingTheBranchesThereAre(@TempDir Path tmp) throws Exception {
        try (Repos repo = Repos.create(tmp.resolve("app"))) {
            repo.commit("first", Map.of("a", "1"));
            PluginTestKit.create().workspace(tmp.resolve("ws"))
                    .run("node { git url: '" + repo.url() + "', branch: 'nope' }")
                    .assertResult(Result.FAILURE)
                    .assertLogContains("has no branch or tag 'nope' (branches: main)");
        }
    }

    @Test
    void checkoutTakesJenkinsGitScmMapWithShallowCloneOption(@TempDir Path tmp) throws Exception {
        try (Repos repo = Repos.create(tmp.resolve("app"))) {
            repo.commit("first", Map.of("a.txt", "main"));
            repo.branch("feature");
            RevCommit f = repo.commit("feature work", Map.of("a.txt", "feature"));
            PluginTestKit.TestRun run = PluginTestKit.create().workspace(tmp.resolve("ws"))
                    .run("node {\n def vars = checkout([$class: 'GitSCM', branches: [[name: '*/feature']],\n"
                            + "   userRemoteConfigs: [[url: '" + repo.url() + "']],\n"
                            + "   extensions: [[$class: 'CloneOption', shallow: true, depth: 1]]])\n"
                            + " echo \"a=${readFile 'a.txt'} commit=${vars.GIT_COMMIT} branch=${vars.GIT_BRANCH}\" }")
                    .assertSuccess().assertLogContains("a=feature commit=" + f.getName() + " branch=origin/feature");
            assertTrue(Files.exists(run.workspace().resolve(".git/shallow")));
        }
    }

    @Test
    void checkoutScmFailsClearlyWhenThePipelineDoesNotComeFromARepository(@TempDir Path tmp) {
        PluginTestKit.create().workspace(tmp)
                .run("node { checkout([$class: 'SubversionSCM']) }")
                .assertResult(Result.FAILURE)
                .assertLogContains("cannot check out $class: 'SubversionSCM'");
    }

    @Test
    void httpsWithAUsernameAndPasswordCredentialAndAWrongPassword(@TempDir Path tmp) throws Exception {
        try (Repos repo = Repos.create(tmp.resolve("repos/app"));
             GitServers.Http http = new GitServers.Http(tmp.resolve("repos"), "ada", "s3cret")) {
            RevCommit c = repo.commit("first", Map.of("a.txt", "over http"));
            String pipeline = "node { git url: '" + http.url("app") + "', branch: 'main', credentialsId: 'forge'\n echo \"a=${readFile 'a.txt'} ${env.GIT_COMMIT}\" }";
            PluginTestKit.create().workspace(tmp.resolve("ok"))
                    .credential(new Credential("forge", "usernamePassword", Map.of("username", "ada", "password", "s3cret"), Set.of("password")))
                    .run(pipeline)
                    .assertSuccess().assertLogContains("a=over http " + c.getName());
            PluginTestKit.create().workspace(tmp.resolve("bad"))
                    .credential(new Credential("forge", "usernamePassword", Map.of("username", "ada", "password", "wrong"), Set.of("password")))
                    .run(pipeline)
                    .assertResult(Result.FAILURE)
                    .assertLogContains("not authorized")
                    .assertLogDoesNotContain("wrong");
            PluginTestKit.create().workspace(tmp.resolve("none"))
                    .run("node { git url: '" + http.url("app") + "' }")
                    .assertResult(Result.FAILURE)
                    .assertLogContains("cannot reach " + http.url("app"));
        }
    }

    @Test
    void httpsWithASecretTextToken(@TempDir Path tmp) throws Exception {
        try (Repos repo = Repos.create(tmp.resolve("repos/app"));
             GitServers.Http http = new GitServers.Http(tmp.resolve("repos"), "git", "tok-123")) {
            repo.commit("first", Map.of("a.txt", "token"));
            PluginTestKit.create().workspace(tmp.resolve("ws"))
                    .credential(new Credential("token", "string", Map.of("secret", "tok-123"), Set.of("secret")))
                    .run("node { git url: '" + http.url("app") + "', credentialsId: 'token'\n echo \"a=${readFile 'a.txt'}\" }")
                    .assertSuccess().assertLogContains("a=token");
        }
    }

    @Test
    void sshWithAPrivateKeyAndKnownHostsAndAnUnknownHostRefused(@TempDir Path tmp) throws Exception {
        try (Repos repo = Repos.create(tmp.resolve("repos/app"));
             GitServers.Ssh ssh = new GitServers.Ssh(tmp.resolve("repos"), tmp.resolve("hostkey.ser"))) {
            RevCommit c = repo.commit("first", Map.of("a.txt", "over ssh"));
            Credential key = new Credential("deploy-key", "sshUserPrivateKey",
                    Map.of("username", "git", "privateKey", ssh.clientPrivateKey(), "knownHosts", ssh.knownHostsLine()), Set.of("privateKey"));
            PluginTestKit.create().workspace(tmp.resolve("ok")).credential(key)
                    .run("node { git url: '" + ssh.url("app") + "', credentialsId: 'deploy-key'\n echo \"a=${readFile 'a.txt'} ${env.GIT_COMMIT}\" }")
                    .assertSuccess().assertLogContains("a=over ssh " + c.getName());

            Credential unknownHost = new Credential("deploy-key", "sshUserPrivateKey",
                    Map.of("username", "git", "privateKey", ssh.clientPrivateKey()), Set.of("privateKey"));
            PluginTestKit.create().workspace(tmp.resolve("unknown")).credential(unknownHost)
                    .run("node { git url: '" + ssh.url("app") + "', credentialsId: 'deploy-key' }")
                    .assertResult(Result.FAILURE)
                    .assertLogContains("cannot reach " + ssh.url("app"));

            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            new org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter().writePrivateKey(g.generateKeyPair(), "x", null, out);
            Credential wrongKey = new Credential("deploy-key", "sshUserPrivateKey",
                    Map.of("username", "git", "privateKey", out.toString(), "knownHosts", ssh.knownHostsLine()), Set.of("privateKey"));
            PluginTestKit.create().workspace(tmp.resolve("wrong")).credential(wrongKey)
                    .run("node { git url: '" + ssh.url("app") + "', credentialsId: 'deploy-key' }")
                    .assertResult(Result.FAILURE)
                    .assertLogContains("cannot reach " + ssh.url("app"));
        }
    }

    @Test
    void theChangelogListsTheCommitsSinceThePreviousBuildAndDrivesWhenConditions(@TempDir Path tmp) throws Exception {
        try (Repos repo = Repos.create(tmp.resolve("app"))) {
            RevCommit base = repo.commit("first", Map.of("README", "x"));
            repo.commit("fix: the parser", Map.of("src/app.js", "a"));
            RevCommit head = repo.commit("docs only", Map.of("docs/guide.md", "b"));
            dev.gantry.api.scm.ScmSource source = GitSettings.source(Map.of("url", repo.url(), "branch", "main"));
            BuildScm records = new BuildScm(null,
                    () -> List.of(new BuildScm.Checkout(source, new ScmRevision(base.getName(), "main", null, Map.of()), List.of(), "SUCCESS")),
                    c -> { }, Map.of());
            PluginTestKit.create().workspace(tmp.resolve("ws"))
                    .service(ScmCheckouts.class, records)
                    .run("pipeline {\n agent any\n stages {\n"
                            + "  stage('co') { steps { git url: '" + repo.url() + "', branch: 'main'\n echo \"prev=${env.GIT_PREVIOUS_SUCCESSFUL_COMMIT}\" } }\n"
                            + "  stage('js') { when { changeset '**/*.js' }\n steps { echo 'JS CHANGED' } }\n"
                            + "  stage('css') { when { changeset '**/*.css' }\n steps { echo 'CSS CHANGED' } }\n"
                            + "  stage('fix') { when { changelog '^fix:.*' }\n steps { echo 'A FIX' } }\n"
                            + "  stage('feat') { when { changelog '^feat:.*' }\n steps { echo 'A FEATURE' } }\n"
                            + " }\n}")
                    .assertSuccess()
                    .assertLogContains("git: 2 changes since " + base.getName())
                    .assertLogContains("prev=" + base.getName())
                    .assertLogContains("JS CHANGED").assertLogDoesNotContain("CSS CHANGED")
                    .assertLogContains("A FIX").assertLogDoesNotContain("A FEATURE");
            List<dev.gantry.api.scm.ChangeSetEntry> changes = records.changes();
            assertEquals(2, changes.size());
            assertEquals(head.getName(), changes.get(0).revision(), "newest first");
            assertEquals(List.of("docs/guide.md"), changes.get(0).paths());
            assertEquals(List.of("src/app.js"), changes.get(1).paths());
            assertEquals("Ada Lovelace", changes.get(1).author());
            assertFalse(records.checkouts().isEmpty());
        }
    }

    @Test
    void checkoutScmAndTheDeclarativeDefaultCheckoutTakeTheJobsOwnRepository(@TempDir Path tmp) throws Exception {
        try (Repos repo = Repos.create(tmp.resolve("app"))) {
            RevCommit c = repo.commit("first", Map.of("README", "from the job's repository"));
            dev.gantry.api.scm.ScmSource jobSource = GitSettings.source(Map.of("url", repo.url(), "branch", "main"));
            PluginTestKit.create().workspace(tmp.resolve("scripted"))
                    .service(ScmCheckouts.class, new BuildScm(jobSource, List::of, x -> { }, Map.of()))
                    .run("node { def v = checkout scm\n echo \"${v.GIT_COMMIT} ${readFile 'README'}\" }")
                    .assertSuccess().assertLogContains(c.getName() + " from the job's repository");
            PluginTestKit.create().workspace(tmp.resolve("declarative"))
                    .service(ScmCheckouts.class, new BuildScm(jobSource, List::of, x -> { }, Map.of()))
                    .run("pipeline { agent any\n stages { stage('s') { steps { echo \"readme ${readFile 'README'} at ${env.GIT_COMMIT}\" } } } }")
                    .assertSuccess().assertLogContains("Declarative: Checkout SCM")
                    .assertLogContains("readme from the job's repository at " + c.getName());
            PluginTestKit.create().workspace(tmp.resolve("skipped"))
                    .service(ScmCheckouts.class, new BuildScm(jobSource, List::of, x -> { }, Map.of()))
                    .run("pipeline { agent any\n options { skipDefaultCheckout() }\n stages { stage('s') { steps { echo \"there ${fileExists 'README'}\" } } } }")
                    .assertSuccess().assertLogContains("there false").assertLogDoesNotContain("Declarative: Checkout SCM");
        }
    }
}
