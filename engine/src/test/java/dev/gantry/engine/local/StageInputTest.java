package dev.gantry.engine.local;

import dev.gantry.api.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage's {@code input} directive answered with {@code --input}, aborted, or not answered. */
class StageInputTest {
    @TempDir
    Path dir;

    private static final String PIPELINE = """
            pipeline {
                agent any
                stages {
                    stage('Deploy') {
                        input {
                            message 'Deploy to which target?'
                            id 'target'
                            ok 'Deploy'
                            parameters { choice(name: 'TARGET', choices: ['staging', 'prod']) }
                        }
                        steps {
                            echo "deploying to ${TARGET}"
                            sh 'echo "sh target=$TARGET"'
                        }
                        post { aborted { echo 'stage-post-aborted' } }
                    }
                    stage('After') { steps { echo 'after-ran' } }
                }
                post { aborted { echo 'build-post-aborted' } }
            }
            """;

    @Test
    void theAnswerBecomesAnEnvironmentVariableOfTheStage() throws Exception {
        PipelineHarness.run(dir, PIPELINE, r -> r.input("target=prod")).assertResult(Result.SUCCESS)
                .assertStage("Deploy", "SUCCESS").assertLog("deploying to prod", "sh target=prod", "after-ran");
    }

    @Test
    void proceedingWithoutAValueTakesTheDefault() throws Exception {
        PipelineHarness.run(dir, PIPELINE, r -> r.input("target")).assertResult(Result.SUCCESS).assertLog("deploying to staging");
    }

    @Test
    void abortEndsTheBuildAbortedAndRunsPostAborted() throws Exception {
        PipelineHarness.run(dir, PIPELINE, r -> r.input("target=abort")).assertResult(Result.ABORTED)
                .assertStage("Deploy", "ABORTED").assertStage("After", "NOT_EXECUTED")
                .assertLog("Aborted by local user", "build-post-aborted").assertNoLog("deploying to", "after-ran")
                // In Jenkins the stage's agent, steps and post all run inside its input: an aborted input skips the stage post.
                .assertNoLog("stage-post-aborted");
    }

    @Test
    void anUnansweredInputInANonInteractiveRunAbortsSayingHowToAnswer() throws Exception {
        PipelineHarness.run(dir, PIPELINE).assertResult(Result.ABORTED).assertStage("Deploy", "ABORTED")
                .assertLog("--input target=VALUE", "--input target=abort", "build-post-aborted").assertNoLog("deploying to");
    }

    @Test
    void aValueNotAmongTheChoicesFailsClearly() throws Exception {
        PipelineHarness.run(dir, PIPELINE, r -> r.input("target=qa")).assertResult(Result.FAILURE)
                .assertLog("'qa' is not one of [staging, prod]").assertNoLog("deploying to");
    }

    @Test
    void inputWithoutParametersAndASubmitterParameter() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Approve') {
                            input { message 'Go ahead?'; submitterParameter 'APPROVER' }
                            steps { echo "approved by ${APPROVER}" }
                        }
                    }
                }
                """, r -> r.input("Go-ahead")).assertResult(Result.SUCCESS).assertLog("approved by local user");
    }

    @Test
    void severalParametersAreAnsweredOneByOne() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent none
                    stages {
                        stage('Ask') {
                            input {
                                message 'Release'
                                id 'rel'
                                parameters {
                                    string(name: 'VERSION', defaultValue: '1.0')
                                    booleanParam(name: 'PUBLISH', defaultValue: false)
                                }
                            }
                            steps { echo "version=${VERSION} publish=${PUBLISH}" }
                        }
                    }
                }
                """, r -> r.input("rel.VERSION=2.5").input("rel.PUBLISH=true")).assertResult(Result.SUCCESS)
                .assertLog("version=2.5 publish=true");
    }
}
