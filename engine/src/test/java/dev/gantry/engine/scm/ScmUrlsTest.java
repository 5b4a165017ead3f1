package dev.gantry.engine.scm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScmUrlsTest {

    @Test
    void theFormsAForgeWritesOfOneRepositoryAreTheSame() {
        assertTrue(ScmUrls.same("https://github.com/octocat/Hello-World.git", "git@github.com:octocat/Hello-World.git"));
        assertTrue(ScmUrls.same("https://GitHub.com/octocat/Hello-World/", "ssh://git@github.com:22/octocat/Hello-World"));
        assertTrue(ScmUrls.same("file:///tmp/repos/app", "file:///tmp/repos/app.git"));
        assertTrue(ScmUrls.same("http://ada:pw@127.0.0.1:8080/git/app", "http://127.0.0.1:8080/git/app.git"));
    }

    @Test
    void otherRepositoriesHostsAndPortsDiffer() {
        assertFalse(ScmUrls.same("https://github.com/octocat/Hello-World", "https://github.com/octocat/Spoon-Knife"));
        assertFalse(ScmUrls.same("https://github.com/octocat/x", "https://gitlab.com/octocat/x"));
        assertFalse(ScmUrls.same("http://127.0.0.1:8080/git/app", "http://127.0.0.1:9090/git/app"));
        assertFalse(ScmUrls.same(null, "x"));
    }

    @Test
    void branchesAreComparedByName() {
        assertEquals("main", ScmUrls.branch("*/main"));
        assertEquals("main", ScmUrls.branch("origin/main"));
        assertEquals("feature/x", ScmUrls.branch("refs/heads/feature/x"));
        assertEquals("refs/tags/v1", ScmUrls.branch("refs/tags/v1"));
        assertEquals(null, ScmUrls.branch(null));
    }

    @Test
    void multibranchJobNamesReplaceWhatAJobNameCannotHold() {
        assertEquals("feature_login", Multibranch.jobPart("feature/login"));
        assertEquals("v1.0", Multibranch.jobPart("v1.0"));
    }
}
