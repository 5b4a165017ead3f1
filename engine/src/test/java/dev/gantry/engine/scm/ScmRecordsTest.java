package dev.gantry.engine.scm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gantry.api.scm.ChangeSetEntry;
import dev.gantry.api.scm.ScmRevision;
import dev.gantry.api.scm.ScmSource;
import dev.gantry.engine.run.BuildScm;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScmRecordsTest {

    @Test
    void aBuildsCheckoutsSurviveTheFileAndAnEarlierBuildAnswersPreviousRevisions(@TempDir Path buildDir) throws Exception {
        ScmSource source = new ScmSource("git", Map.of("url", "https://github.com/acme/app.git", "branch", "main"));
        ScmRevision revision = new ScmRevision("0d1a26e6", "main", null, Map.of("GIT_COMMIT", "0d1a26e6"));
        ChangeSetEntry change = new ChangeSetEntry("0d1a26e6", "Ada", "ada@example.org", Instant.parse("2026-11-22T07:00:00Z"),
                "fix: the parser", List.of("src/app.js"));
        ScmRecords.write(buildDir, List.of(new BuildScm.Checkout(source, revision, List.of(change), null)));

        List<BuildScm.Checkout> read = ScmRecords.read(buildDir, "SUCCESS");
        assertEquals(List.of(new BuildScm.Checkout(source, revision, List.of(change), "SUCCESS")), read);
        assertEquals("[{kind=git, url=https://github.com/acme/app.git, revision=0d1a26e6, branch=main, tag=null, items=[{commitId=0d1a26e6, "
                + "author=Ada, authorEmail=ada@example.org, timestamp=2026-11-22T07:00:00Z, msg=fix: the parser, affectedPaths=[src/app.js]}]}]",
                ScmRecords.changeSets(buildDir).toString());

        ScmSource sameRepoOtherForm = new ScmSource("git", Map.of("url", "https://github.com/acme/app.git"));
        BuildScm next = new BuildScm(null, () -> read, c -> { }, Map.of());
        assertEquals("0d1a26e6", next.previous(sameRepoOtherForm).id());
        assertEquals("0d1a26e6", next.previousSuccessful(sameRepoOtherForm).id());
        BuildScm afterFailure = new BuildScm(null, () -> ScmRecords.read(buildDir, "FAILURE"), c -> { }, Map.of());
        assertEquals(null, afterFailure.previousSuccessful(source));
        assertEquals(List.of(), ScmRecords.read(buildDir.resolve("none"), "SUCCESS"), "a build that checked nothing out");
    }
}
