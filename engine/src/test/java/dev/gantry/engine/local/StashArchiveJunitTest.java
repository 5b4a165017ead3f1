package dev.gantry.engine.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stash/unstash, archiveArtifacts and junit, in a pipeline. */
class StashArchiveJunitTest {
    @TempDir
    Path dir;

    @Test
    void stashMovesFilesBetweenWorkspaces() throws Exception {
        PipelineHarness.Ran r = PipelineHarness.run(dir, """
                node {
                    writeFile file: 'out/app.jar', text: 'jar'
                    writeFile file: 'out/app.log', text: 'log'
                    writeFile file: 'out/.git/config', text: 'git'
                    writeFile file: 'src/Main.java', text: 'src'
                    stash name: 'bin', includes: 'out/**', excludes: '**/*.log'
                    stash name: 'withGit', includes: 'out/**', useDefaultExcludes: false
                }
                node {
                    dir('other') {
                        unstash 'bin'
                        echo "jar=${fileExists 'out/app.jar'} log=${fileExists 'out/app.log'} git=${fileExists 'out/.git/config'} src=${fileExists 'src/Main.java'}"
                        unstash name: 'withGit'
                        echo "git-now=${fileExists 'out/.git/config'}"
                    }
                }
                """).assertResult(Result.SUCCESS).assertLog("jar=true log=false git=false src=false", "git-now=true");
        assertTrue(Files.exists(r.workspace().resolve("other/out/app.jar")));
    }

    @Test
    void stashBetweenDeclarativeStagesOnDifferentWorkspaces() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent none
                    stages {
                        stage('Build') {
                            agent any
                            steps { writeFile file: 'b.txt', text: 'built'; stash name: 'b', includes: 'b.txt' }
                        }
                        stage('Use') {
                            agent { node { label 'x'; customWorkspace 'elsewhere' } }
                            steps { unstash 'b'; echo "got=${readFile 'b.txt'}" }
                        }
                    }
                }
                """).assertResult(Result.SUCCESS).assertLog("got=built");
    }

    @Test
    void emptyStashFailsUnlessAllowed() throws Exception {
        // Jenkins' own wording, which names the stash but not the pattern.
        PipelineHarness.run(dir, "node { stash name: 'none', includes: '*.nothing' }").assertResult(Result.FAILURE)
                .assertLog("No files included in stash 'none'");
        PipelineHarness.run(dir, "node { stash name: 'none', includes: '*.nothing', allowEmpty: true; unstash 'none'; echo 'empty-ok' }")
                .assertResult(Result.SUCCESS).assertLog("empty-ok");
    }

    @Test
    void unstashingAMissingStashFailsNamingIt() throws Exception {
        PipelineHarness.run(dir, "node { unstash 'never-stashed' }").assertResult(Result.FAILURE).assertLog("never-stashed");
    }

    @Test
    @SuppressWarnings("unchecked")
    void archiveArtifactsWithExcludesAndFingerprints() throws Exception {
        PipelineHarness.Ran r = PipelineHarness.run(dir, """
                node {
                    writeFile file: 'build/a.jar', text: 'a'
                    writeFile file: 'build/b.jar', text: 'b'
                    writeFile file: 'build/tmp.jar', text: 't'
                    archiveArtifacts artifacts: 'build/*.jar', excludes: 'build/tmp*', fingerprint: true
                }
                """).assertResult(Result.SUCCESS);
        assertEquals(List.of("build/a.jar", "build/b.jar"), ((List<String>) r.report().get("artifacts")).stream().sorted().toList());
        Map<String, String> fp = (Map<String, String>) r.report().get("fingerprints");
        assertTrue(fp != null && fp.size() == 2, String.valueOf(r.report()));
        assertTrue(Files.exists(dir.resolve("ws@artifacts/build/a.jar")));
        assertFalse(Files.exists(dir.resolve("ws@artifacts/build/tmp.jar")));
    }

    @Test
    void archiveArtifactsEmptyFailsUnlessAllowed() throws Exception {
        PipelineHarness.run(dir, "node { archiveArtifacts 'nothing/**' }").assertResult(Result.FAILURE).assertLog("nothing/**");
        PipelineHarness.run(dir, "node { archiveArtifacts artifacts: 'nothing/**', allowEmptyArchive: true; echo 'went on' }")
                .assertResult(Result.SUCCESS).assertLog("went on");
    }

    @Test
    void archiveOnlyIfSuccessfulSkipsAnUnstableBuild() throws Exception {
        PipelineHarness.Ran r = PipelineHarness.run(dir, """
                node {
                    writeFile file: 'r.txt', text: 'r'
                    unstable 'meh'
                    archiveArtifacts artifacts: 'r.txt', onlyIfSuccessful: true
                }
                """).assertResult(Result.UNSTABLE);
        assertFalse(r.report().containsKey("artifacts"), String.valueOf(r.report()));
    }

    private static final String FAILING_XML = """
            <testsuite name="S" tests="2" failures="1">
              <testcase classname="a.B" name="ok"/>
              <testcase classname="a.B" name="bad"><failure message="boom">trace</failure></testcase>
            </testsuite>
            """;

    @Test
    @SuppressWarnings("unchecked")
    void junitFailuresMakeTheBuildAndStageUnstable() throws Exception {
        PipelineHarness.Ran r = PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Test') {
                            steps { writeFile file: 'reports/TEST-a.xml', text: '''%s'''; junit 'reports/*.xml' }
                        }
                        stage('Next') { steps { echo 'next-runs' } }
                    }
                }
                """.formatted(FAILING_XML)).assertResult(Result.UNSTABLE).assertStage("Test", "UNSTABLE").assertLog("next-runs");
        Map<String, Object> tests = (Map<String, Object>) r.report().get("tests");
        assertEquals(2, ((Number) tests.get("total")).intValue(), String.valueOf(tests));
        assertEquals(1, ((Number) tests.get("failed")).intValue(), String.valueOf(tests));
    }

    @Test
    void junitSkipMarkingUnstableAndEmptyResults() throws Exception {
        PipelineHarness.run(dir, """
                node {
                    writeFile file: 'r/TEST-a.xml', text: '''%s'''
                    junit testResults: 'r/*.xml', skipMarkingBuildUnstable: true
                }
                """.formatted(FAILING_XML)).assertResult(Result.SUCCESS);
        PipelineHarness.run(dir, "node { junit 'none/*.xml' }").assertResult(Result.FAILURE)
                .assertLog("No test report files were found. Configuration error?");
        PipelineHarness.run(dir, "node { junit testResults: 'none/*.xml', allowEmptyResults: true }").assertResult(Result.SUCCESS);
    }
}
