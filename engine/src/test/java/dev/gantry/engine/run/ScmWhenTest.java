package dev.gantry.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.api.scm.ChangeSetEntry;
import dev.gantry.api.scm.ScmCheckouts;
import dev.gantry.api.scm.ScmRevision;
import dev.gantry.api.scm.ScmSource;
import dev.gantry.engine.local.LocalRun;
import dev.gantry.engine.steps.StepLibrary;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScmWhenTest {

    @Test
    void changesetPatternsAreAntStyleAndIgnoreCaseUnlessAsked() {
        assertTrue(WhenSpec.changesetMatches("**/*.js", "app.js", null, false));
        assertTrue(WhenSpec.changesetMatches("**/*.js", "src/ui/app.js", null, false));
        assertFalse(WhenSpec.changesetMatches("*.js", "src/app.js", null, false));
        assertTrue(WhenSpec.changesetMatches("docs/**", "docs/a/b.md", null, false));
        assertTrue(WhenSpec.changesetMatches("README.MD", "readme.md", null, false));
        assertFalse(WhenSpec.changesetMatches("README.MD", "readme.md", null, true));
        assertTrue(WhenSpec.changesetMatches("src/.*\\.java", "src/A.java", "REGEXP", false));
    }

    @Test
    void recordedCheckoutsDriveChangesetChangelogAndTheScmVariable(@TempDir Path ws) throws Exception {
        ScmSource source = new ScmSource("git", Map.of("url", "file:///repo", "branch", "main"));
        List<List<BuildScm.Checkout>> stored = new ArrayList<>();
        BuildScm scm = new BuildScm(source, List::of, stored::add, Map.of("BRANCH_NAME", "main"));
        // A step standing in for the git plugin's checkout: it records what a checkout would.
        dev.gantry.api.step.Step fakeCheckout = new dev.gantry.api.support.SimpleStep("recordCheckout", "records a checkout") {
            @Override
            public Object run(dev.gantry.api.step.StepContext context, dev.gantry.api.step.StepArguments args) {
                ScmCheckouts c = context.service(ScmCheckouts.class).orElseThrow();
                assertEquals("file:///repo", c.jobSource().setting("url"));
                c.record(source, new ScmRevision("abc123", "main", null, Map.of("GIT_COMMIT", "abc123")),
                        List.of(new ChangeSetEntry("abc123", "Ada", null, Instant.EPOCH, "fix: parser\n\nlonger text", List.of("src/Parser.java"))));
                return null;
            }
        };
        StepLibrary steps = StepLibrary.builtins().plus(List.of(fakeCheckout), (a, b) -> { });
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LocalRun.Outcome o = new LocalRun(steps, ws).service(ScmCheckouts.class, scm).run("Jenkinsfile", """
                pipeline {
                  agent any
                  stages {
                    stage('co') { steps { recordCheckout()
                        echo "scm url ${scm.url} commit ${env.GIT_COMMIT} branch ${env.BRANCH_NAME}" } }
                    stage('java') { when { changeset '**/*.java' }
                        steps { echo 'JAVA' } }
                    stage('docs') { when { changeset 'docs/**' }
                        steps { echo 'DOCS' } }
                    stage('fix') { when { changelog '^fix:.*' }
                        steps { echo 'FIX' } }
                    stage('main') { when { branch 'main' }
                        steps { echo 'ON MAIN' } }
                  }
                }
                """, log);
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(Result.SUCCESS, o.result(), text);
        assertTrue(text.contains("scm url file:///repo commit abc123 branch main"), text);
        assertTrue(text.contains("JAVA"), text);
        assertFalse(text.contains("DOCS"), text);
        assertTrue(text.contains("FIX"), text);
        assertTrue(text.contains("ON MAIN"), text);
        assertEquals(1, stored.size());
        assertEquals("abc123", stored.get(0).get(0).revision().id());
    }
}
