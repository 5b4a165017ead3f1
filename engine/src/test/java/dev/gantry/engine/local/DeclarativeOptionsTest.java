package dev.gantry.engine.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code options} directive of pipelines and stages; {@code triggers} and {@code tools}. */
class DeclarativeOptionsTest {
    @TempDir
    Path dir;

    @Test
    void pipelineTimeoutAbortsTheBuild() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    options { timeout(time: 1, unit: 'SECONDS') }
                    stages {
                        stage('Slow') { steps { sh 'sleep 20; echo finished-slow' } }
                        stage('Next') { steps { echo 'next-ran' } }
                    }
                    post { aborted { echo 'post-aborted' } }
                }
                """).assertResult(Result.ABORTED).assertStage("Slow", "ABORTED").assertStage("Next", "NOT_EXECUTED")
                .assertLog("Timeout has been exceeded", "post-aborted").assertNoLog("finished-slow", "next-ran");
    }

    @Test
    void stageTimeoutAbortsThatStage() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Slow') {
                            options { timeout(time: 300, unit: 'MILLISECONDS') }
                            steps { sleep time: 20, unit: 'SECONDS' }
                            post { aborted { echo 'stage-post-aborted' } }
                        }
                    }
                }
                """).assertResult(Result.ABORTED).assertStage("Slow", "ABORTED").assertLog("stage-post-aborted");
    }

    @Test
    void stageRetryRunsTheStageContentAgain() throws Exception {
        PipelineHarness.run(dir, """
                def attempts = 0
                pipeline {
                    agent any
                    stages {
                        stage('Flaky') {
                            options { retry(3) }
                            steps {
                                script {
                                    attempts++
                                    echo "attempt ${attempts}"
                                    if (attempts < 3) { error "flaky failure ${attempts}" }
                                }
                            }
                        }
                    }
                }
                """).assertResult(Result.SUCCESS).assertStage("Flaky", "SUCCESS")
                .assertLogOrder("attempt 1", "flaky failure 1", "Retrying", "attempt 2", "attempt 3");
    }

    @Test
    void stageRetryRunsPostAndAllocatesTheAgentOnEachAttempt() throws Exception {
        PipelineHarness.run(dir, """
                def attempts = 0
                pipeline {
                    agent none
                    stages {
                        stage('Flaky') {
                            agent any
                            options { retry(2) }
                            steps { script { attempts++; if (attempts < 2) { error 'first attempt fails' } } }
                            post {
                                failure { echo "post-failure-${attempts}" }
                                success { echo "post-success-${attempts}" }
                            }
                        }
                    }
                }
                """).assertResult(Result.SUCCESS).assertStage("Flaky", "SUCCESS")
                .assertLogOrder("Running on local", "first attempt fails", "post-failure-1", "Retrying", "Running on local", "post-success-2");
    }

    @Test
    void stageTimeoutAlsoBoundsTheStageInput() throws Exception {
        // The input is answered at once here; what matters is that the timeout is entered before the input is asked.
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Approve') {
                            options { timeout(time: 5, unit: 'SECONDS') }
                            input { message 'Go?'; id 'go' }
                            steps { echo 'approved' }
                        }
                    }
                }
                """, r -> r.input("go")).assertResult(Result.SUCCESS).assertLogOrder("[Pipeline] timeout", "Input requested", "approved");
    }

    @Test
    void stageRetryGivesUpAfterCount() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Broken') {
                            options { retry(2) }
                            steps { echo 'try'; error 'always broken' }
                        }
                    }
                }
                """).assertResult(Result.FAILURE).assertStage("Broken", "FAILURE").assertLog("always broken");
    }

    @Test
    void timestampsOptionPrefixesLines() throws Exception {
        PipelineHarness.Ran r = PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    options { timestamps() }
                    stages { stage('S') { steps { echo 'stamped-line'; sh 'echo from-shell' } } }
                }
                """).assertResult(Result.SUCCESS);
        assertTrue(Pattern.compile("(?m)^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] stamped-line$").matcher(r.log()).find(), r.log());
        assertTrue(Pattern.compile("(?m)^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] from-shell$").matcher(r.log()).find(), r.log());
    }

    @Test
    void stageTimestampsOptionPrefixesOnlyThatStage() throws Exception {
        PipelineHarness.Ran r = PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Plain') { steps { echo 'plain-line' } }
                        stage('Stamped') {
                            options { timestamps() }
                            steps { echo 'stamped-line' }
                        }
                    }
                }
                """).assertResult(Result.SUCCESS);
        assertTrue(Pattern.compile("(?m)^plain-line$").matcher(r.log()).find(), r.log());
        assertTrue(Pattern.compile("(?m)^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] stamped-line$").matcher(r.log()).find(), r.log());
    }

    @Test
    void skipStagesAfterUnstable() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    options { skipStagesAfterUnstable() }
                    stages {
                        stage('Test') { steps { unstable 'tests flaky' } }
                        stage('Deploy') { steps { echo 'deploying' } }
                    }
                    post { always { echo 'post-ran' } }
                }
                """).assertResult(Result.UNSTABLE).assertStage("Test", "UNSTABLE").assertStage("Deploy", "NOT_EXECUTED")
                .assertNoLog("deploying").assertLog("post-ran");
    }

    @Test
    void parallelsAlwaysFailFastAbortsSiblings() throws Exception {
        long start = System.nanoTime();
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    options { parallelsAlwaysFailFast() }
                    stages {
                        stage('P') {
                            parallel {
                                stage('Bad') { steps { sleep time: 200, unit: 'MILLISECONDS'; error 'bad branch' } }
                                stage('Slow') { steps { sh 'sleep 20; echo slow-done' } }
                            }
                        }
                    }
                }
                """).assertResult(Result.FAILURE).assertStage("Bad", "FAILURE").assertStage("Slow", "ABORTED")
                .assertNoLog("slow-done");
        assertTrue(System.nanoTime() - start < 15_000_000_000L);
    }

    @Test
    void optionsWithoutRuntimeEffectAreAcceptedAndTriggersAndToolsToo() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    options {
                        disableConcurrentBuilds()
                        buildDiscarder(logRotator(numToKeepStr: '10', artifactNumToKeepStr: '2'))
                        skipDefaultCheckout()
                        quietPeriod(5)
                        checkoutToSubdirectory('src')
                        disableResume()
                        preserveStashes(buildCount: 3)
                    }
                    triggers {
                        cron('H 4 * * 1-5')
                        pollSCM('H/15 * * * *')
                    }
                    tools { maven 'M3' }
                    stages {
                        stage('S') {
                            options { skipDefaultCheckout() }
                            steps { echo 'still-runs' }
                        }
                    }
                }
                """).assertResult(Result.SUCCESS).assertStage("S", "SUCCESS").assertLog("still-runs");
    }
}
