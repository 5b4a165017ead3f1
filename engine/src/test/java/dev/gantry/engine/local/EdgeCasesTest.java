package dev.gantry.engine.local;

import dev.gantry.api.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corners of Jenkins' semantics that pipelines rely on without thinking about them. */
class EdgeCasesTest {
    @TempDir
    Path dir;

    @Test
    void environmentDirectiveWinsOverEnvAssignment() throws Exception {
        // Jenkins: a variable of an environment directive cannot be overwritten by env.X = ...
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    environment { A = 'from-directive' }
                    stages {
                        stage('S') { steps { script { env.A = 'assigned'; env.B = 'new' }; echo "a=${env.A} b=${env.B}" } }
                    }
                }
                """).assertResult(Result.SUCCESS).assertLog("a=from-directive b=new");
    }

    @Test
    void anUndefinedNameInEnvironmentFailsNamingIt() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    environment { A = "${NOT_DEFINED_ANYWHERE}" }
                    stages { stage('S') { steps { echo 'never' } } }
                    post { always { echo 'post-runs' } }
                }
                """).assertResult(Result.FAILURE).assertLog("NOT_DEFINED_ANYWHERE", "post-runs").assertNoLog("never\n");
    }

    @Test
    void credentialsInEnvironmentFailsClearly() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('S') {
                            environment { TOKEN = credentials('deploy-token') }
                            steps { echo 'never' }
                        }
                    }
                }
                """).assertResult(Result.FAILURE).assertStage("S", "FAILURE")
                .assertLog("credentials('deploy-token'): this run has no credentials", "--credentials FILE").assertNoLog("never");
    }

    @Test
    void settingTheResultDoesNotStopLaterStages() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Mark') { steps { script { currentBuild.result = 'FAILURE' } } }
                        stage('Still') { steps { echo 'still-runs' } }
                    }
                    post { failure { echo 'post-failure' } }
                }
                """).assertResult(Result.FAILURE).assertStage("Still", "SUCCESS").assertLog("still-runs", "post-failure");
    }

    @Test
    void unstableInAParallelBranchMarksBranchAndParent() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('P') {
                            parallel {
                                stage('Shaky') {
                                    environment { WHO = 'shaky' }
                                    steps { unstable "${WHO} is unstable" }
                                }
                                stage('Fine') { steps { echo "fine sees ${env.WHO}" } }
                            }
                        }
                        stage('After') { steps { echo 'after-runs' } }
                    }
                }
                """).assertResult(Result.UNSTABLE).assertStage("Shaky", "UNSTABLE").assertStage("Fine", "SUCCESS")
                .assertStage("P", "UNSTABLE").assertLog("shaky is unstable", "fine sees null", "after-runs");
    }

    @Test
    void catchErrorInAParallelBranch() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('P') {
                            parallel {
                                stage('Caught') { steps { catchError(buildResult: 'SUCCESS', stageResult: 'UNSTABLE') { error 'x' } } }
                                stage('Other') { steps { echo 'other' } }
                            }
                        }
                    }
                }
                """).assertResult(Result.SUCCESS).assertStage("Caught", "UNSTABLE").assertStage("Other", "SUCCESS");
    }

    @Test
    void fileExistsOfTheCurrentDirectory() throws Exception {
        PipelineHarness.run(dir, "node { echo \"empty=${fileExists ''} dot=${fileExists '.'}\" }").assertResult(Result.SUCCESS)
                .assertLog("empty=true dot=true");
    }

    @Test
    void sleepInAFunctionIsTheStep() throws Exception {
        PipelineHarness.run(dir, """
                def pause() { sleep time: 50, unit: 'MILLISECONDS'; sleep 0 }
                node { pause() }
                """).assertResult(Result.SUCCESS).assertLog("Sleeping for 50 milliseconds", "Sleeping for 0 seconds");
    }

    @Test
    void scriptBlockValuesCarryAcrossStages() throws Exception {
        PipelineHarness.run(dir, """
                def version
                pipeline {
                    agent any
                    stages {
                        stage('Compute') { steps { script { version = sh(script: 'echo 4.5.6', returnStdout: true).trim() } } }
                        stage('Use') { steps { echo "version is ${version}" } }
                    }
                }
                """).assertResult(Result.SUCCESS).assertLog("version is 4.5.6");
    }

    @Test
    void aFailingWhenExpressionFailsTheStage() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Broken') {
                            when { expression { error 'when blew up' } }
                            steps { echo 'never' }
                        }
                    }
                }
                """).assertResult(Result.FAILURE).assertStage("Broken", "FAILURE").assertLog("when blew up").assertNoLog("never\n");
    }

    @Test
    void stagePostRunsOnTheStageAgent() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent none
                    stages {
                        stage('S') {
                            agent any
                            steps { writeFile file: 'p.txt', text: 'post-can-read' }
                            post { always { echo readFile('p.txt') } }
                        }
                    }
                }
                """).assertResult(Result.SUCCESS).assertLog("post-can-read");
    }
}
