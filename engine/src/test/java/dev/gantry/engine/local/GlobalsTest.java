package dev.gantry.engine.local;

import dev.gantry.api.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code env}, {@code params} and {@code currentBuild} as declarative pipelines see them. */
class GlobalsTest {
    @TempDir
    Path dir;

    @Test
    void buildVariablesAreSet() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Vars') {
                            steps {
                                sh 'echo "n=$BUILD_NUMBER id=$BUILD_ID job=$JOB_NAME tag=$BUILD_TAG node=$NODE_NAME"'
                                echo "env.WORKSPACE set=${env.WORKSPACE != null} display=${env.BUILD_DISPLAY_NAME}"
                            }
                        }
                    }
                }
                """, r -> r.number(5)).assertResult(Result.SUCCESS)
                .assertLog("n=5 id=5 job=test-job tag=gantry-test-job-5 node=local", "env.WORKSPACE set=true display=#5");
    }

    @Test
    void currentBuildInDeclarative() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Mark') {
                            steps {
                                script {
                                    currentBuild.description = 'from declarative'
                                    currentBuild.result = 'UNSTABLE'
                                }
                            }
                        }
                        stage('Read') {
                            steps { echo "desc=${currentBuild.description} result=${currentBuild.result} prev=${currentBuild.previousBuild}" }
                        }
                    }
                    post { unstable { echo 'post-unstable-ran' } }
                }
                """).assertResult(Result.UNSTABLE).assertLog("desc=from declarative result=UNSTABLE prev=null", "post-unstable-ran");
    }

    @Test
    void changedFixedRegressionNeedAPreviousBuild() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages { stage('S') { steps { error 'x' } } }
                    post {
                        changed { echo 'post-changed' }
                        fixed { echo 'post-fixed' }
                        regression { echo 'post-regression' }
                        failure { echo 'post-failure' }
                    }
                }
                """).assertResult(Result.FAILURE).assertLog("post-failure").assertNoLog("post-changed", "post-fixed", "post-regression");
    }

    @Test
    void envAssignedInOneStageIsSeenByShInAParallelBranch() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Set') { steps { script { env.SHARED = 'shared-value' } } }
                        stage('P') {
                            parallel {
                                stage('A') { steps { sh 'echo "a sees $SHARED"' } }
                                stage('B') { steps { sh 'echo "b sees $SHARED"' } }
                            }
                        }
                    }
                }
                """).assertResult(Result.SUCCESS).assertLog("a sees shared-value", "b sees shared-value");
    }
}
