package dev.gantry.plugins.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.credentials.Credential;
import dev.gantry.api.scm.ScmProvider;
import dev.gantry.api.scm.ScmRevision;
import dev.gantry.api.scm.ScmSource;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitScmProviderTest {
    final GitScmProvider provider = new GitScmProvider();

    @Test
    void pollFindsANewCommitOnlyWhenTheRemoteMoved(@TempDir Path tmp) throws Exception {
        try (Repos repo = Repos.create(tmp.resolve("app"))) {
            RevCommit first = repo.commit("first", Map.of("a", "1"));
            ScmSource source = GitSettings.source(Map.of("url", repo.url(), "branch", "main"));
            ScmRevision found = provider.poll(source, null).orElseThrow();
            assertEquals(first.getName(), found.id());
            assertEquals(Optional.empty(), provider.poll(source, found));
            RevCommit second = repo.commit("second", Map.of("a", "2"));
            assertEquals(second.getName(), provider.poll(source, found).orElseThrow().id());
        }
    }

    @Test
    void readFileReadsTheJenkinsfileOfABranchOverAuthenticatedHttp(@TempDir Path tmp) throws Exception {
        try (Repos repo = Repos.create(tmp.resolve("repos/app"));
             GitServers.Http http = new GitServers.Http(tmp.resolve("repos"), "ada", "pw")) {
            repo.commit("first", Map.of("Jenkinsfile", "node { echo 'main' }"));
            repo.branch("dev");
            RevCommit dev = repo.commit("dev", Map.of("ci/Jenkinsfile", "node { echo 'dev' }"));
            ScmSource source = GitSettings.source(Map.of("url", http.url("app"), "branch", "dev", "credentialsId", "c"));
            ScmProvider.FileAtRevision f = provider.readFile(source, "ci/Jenkinsfile",
                    id -> new Credential(id, "usernamePassword", Map.of("username", "ada", "password", "pw"), Set.of("password")));
            assertEquals("node { echo 'dev' }", f.text());
            assertEquals(dev.getName(), f.revision().id());
            NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> provider.readFile(source, "nope/Jenkinsfile",
                    id -> new Credential(id, "usernamePassword", Map.of("username", "ada", "password", "pw"), Set.of("password"))));
            assertTrue(missing.getMessage().contains("there is no nope/Jenkinsfile in branch dev"), missing.getMessage());
        }
    }

    @Test
    void headsListsTheBranchesAndTagsThatHoldTheFile(@TempDir Path tmp) throws Exception {
        try (Repos repo = Repos.create(tmp.resolve("app"))) {
            repo.commit("first", Map.of("Jenkinsfile", "node {}"));
            repo.tag("v1", true);
            repo.branch("feature/x");
            repo.commit("x", Map.of("x", "1"));
            repo.switchTo("main");
            repo.branch("no-pipeline");
            repo.git.rm().addFilepattern("Jenkinsfile").call();
            repo.commit("drop the pipeline", Map.of("y", "1"));
            List<ScmRevision> heads = provider.heads(GitSettings.source(Map.of("url", repo.url())), "Jenkinsfile", null);
            List<String> names = heads.stream().map(h -> h.branch() != null ? "branch " + h.branch() : "tag " + h.tag()).sorted().toList();
            assertEquals(List.of("branch feature/x", "branch main", "tag v1"), names);
        }
    }
}
