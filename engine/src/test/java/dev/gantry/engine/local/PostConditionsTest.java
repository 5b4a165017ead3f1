package dev.gantry.engine.local;

import dev.gantry.api.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code post}: the ten conditions, in Jenkins' order, on the pipeline and on stages. */
class PostConditionsTest {
    @TempDir
    Path dir;

    /** Every condition, declared in reverse of Jenkins' order, so the order asserted is the engine's. */
    private static String allPost(String prefix) {
        StringBuilder b = new StringBuilder("post {\n");
        String[] order = {"cleanup", "unsuccessful", "unstable", "success", "failure", "aborted", "regression", "fixed", "changed", "always"};
        for (String c : order) {
            b.append(c).append(" { echo '").append(prefix).append('-').append(c).append("' }\n");
        }
        return b.append("}\n").toString();
    }

    private PipelineHarness.Ran runWith(String steps, String outcomeLabel) throws Exception {
        return PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    options { timeout(time: 2, unit: 'SECONDS') }
                    stages {
                        stage('Work') {
                            steps { %s }
                            %s
                        }
                    }
                    %s
                }
                """.formatted(steps, allPost("stage"), allPost("build")));
    }

    @Test
    void success() throws Exception {
        runWith("echo 'ok'", "success").assertResult(Result.SUCCESS).assertStage("Work", "SUCCESS")
                .assertLogOrder("stage-always", "stage-success", "stage-cleanup", "build-always", "build-success", "build-cleanup")
                .assertNoLog("-changed", "-fixed", "-regression", "-aborted", "-failure", "-unstable", "-unsuccessful");
    }

    @Test
    void unstable() throws Exception {
        runWith("unstable 'meh'", "unstable").assertResult(Result.UNSTABLE).assertStage("Work", "UNSTABLE")
                .assertLogOrder("stage-always", "stage-unstable", "stage-unsuccessful", "stage-cleanup",
                        "build-always", "build-unstable", "build-unsuccessful", "build-cleanup")
                .assertNoLog("-changed", "-fixed", "-regression", "-aborted", "-failure", "-success'");
    }

    @Test
    void failure() throws Exception {
        runWith("error 'broken'", "failure").assertResult(Result.FAILURE).assertStage("Work", "FAILURE")
                .assertLogOrder("stage-always", "stage-failure", "stage-unsuccessful", "stage-cleanup",
                        "build-always", "build-failure", "build-unsuccessful", "build-cleanup")
                .assertNoLog("-changed", "-fixed", "-regression", "-aborted", "-success", "-unstable");
    }

    @Test
    void aborted() throws Exception {
        runWith("sleep 30", "aborted").assertResult(Result.ABORTED).assertStage("Work", "ABORTED")
                .assertLogOrder("stage-always", "stage-aborted", "stage-unsuccessful", "stage-cleanup",
                        "build-always", "build-aborted", "build-unsuccessful", "build-cleanup")
                .assertNoLog("-changed", "-fixed", "-regression", "-failure", "-success", "-unstable");
    }

    @Test
    void aUserAbortEndsAbortedAndPostStillRuns() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Long') {
                            steps { sh 'echo long-started; sleep 30; echo long-finished' }
                            post { aborted { echo 'stage-post-aborted' } }
                        }
                        stage('Next') { steps { echo 'next-ran' } }
                    }
                    post {
                        aborted { echo 'build-post-aborted' }
                        always { sh 'echo post-can-run-sh' }
                    }
                }
                """, r -> r.onStart(build -> Thread.ofVirtual().start(() -> {
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (build.stages().isEmpty() && System.nanoTime() < deadline) {
                        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
                    }
                    build.abort("Aborted by test user");
                }))).assertResult(Result.ABORTED).assertStage("Long", "ABORTED").assertStage("Next", "NOT_EXECUTED")
                .assertLog("Aborted by test user", "stage-post-aborted", "build-post-aborted", "post-can-run-sh")
                .assertNoLog("long-finished", "next-ran");
    }

    @Test
    void aFailingPostBlockFailsTheBuildAndLaterBlocksStillRun() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Work') {
                            steps { echo 'work' }
                            post {
                                always { error 'stage post broke' }
                                success { echo 'stage-success-still-runs' }
                            }
                        }
                        stage('Next') { steps { echo 'next-stage' } }
                    }
                    post {
                        always { error 'build post broke' }
                        failure { echo 'build-failure-runs' }
                        cleanup { echo 'build-cleanup-runs' }
                    }
                }
                """).assertResult(Result.FAILURE).assertStage("Work", "FAILURE").assertStage("Next", "NOT_EXECUTED")
                .assertLogOrder("stage post broke", "stage-success-still-runs", "build post broke", "build-failure-runs", "build-cleanup-runs")
                .assertNoLog("next-stage");
    }

    @Test
    void stagePostSeesTheStageResultNotTheBuildResult() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Warn') { steps { unstable 'first' } }
                        stage('Fine') {
                            steps { echo 'fine' }
                            post {
                                success { echo 'fine-stage-success' }
                                unstable { echo 'fine-stage-unstable' }
                            }
                        }
                    }
                }
                """).assertResult(Result.UNSTABLE).assertStage("Fine", "SUCCESS").assertLog("fine-stage-success")
                .assertNoLog("fine-stage-unstable");
    }

    @Test
    void postSeesCurrentBuildResult() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages { stage('S') { steps { error 'x' } } }
                    post { always { echo "result=${currentBuild.currentResult} raw=${currentBuild.result}" } }
                }
                """).assertResult(Result.FAILURE).assertLog("result=FAILURE raw=FAILURE");
    }

    @Test
    void failureInAgentAllocationStillRunsPost() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent { node { label 'x'; customWorkspace '/proc/no-such-place/ws' } }
                    stages { stage('S') { steps { echo 'never' } } }
                    post { always { echo 'post-after-agent-failure' } }
                }
                """).assertResult(Result.FAILURE).assertLog("/proc/no-such-place/ws", "post-after-agent-failure").assertNoLog("never\n");
    }
}
