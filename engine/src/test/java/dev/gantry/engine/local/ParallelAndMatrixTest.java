package dev.gantry.engine.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nested sequential stages, parallel stages with failFast, and matrix. */
class ParallelAndMatrixTest {
    @TempDir
    Path dir;

    @Test
    void nestedSequentialStagesReportTheirParents() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Outer') {
                            stages {
                                stage('First') { steps { echo 'first' } }
                                stage('Second') { steps { unstable 'second is shaky' } }
                            }
                        }
                        stage('Last') { steps { echo 'last' } }
                    }
                }
                """).assertResult(Result.UNSTABLE).assertStage("Outer", "UNSTABLE").assertStage("First", "SUCCESS")
                .assertStage("Second", "UNSTABLE").assertStage("Last", "SUCCESS").assertLogOrder("first", "second is shaky", "last")
                .assertParent("First", "Outer").assertParent("Second", "Outer").assertParent("Outer", null).assertParent("Last", null);
    }

    @Test
    void failureInANestedStageSkipsTheRest() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Outer') {
                            stages {
                                stage('Breaks') { steps { error 'nested broke' } }
                                stage('Skipped') { steps { echo 'never-inner' } }
                            }
                        }
                        stage('AlsoSkipped') { steps { echo 'never-outer' } }
                    }
                }
                """).assertResult(Result.FAILURE).assertStage("Outer", "FAILURE").assertStage("Breaks", "FAILURE")
                .assertStage("Skipped", "NOT_EXECUTED").assertStage("AlsoSkipped", "NOT_EXECUTED").assertNoLog("never-inner", "never-outer");
    }

    @Test
    void parallelBranchesRunConcurrently() throws Exception {
        // Each branch waits for the other's file: only concurrent branches can both finish.
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    options { timeout(time: 10, unit: 'SECONDS') }
                    stages {
                        stage('Both') {
                            parallel {
                                stage('A') { steps { sh 'touch ../a.flag; while [ ! -f ../b.flag ]; do sleep 0.05; done; echo a-done' } }
                                stage('B') { steps { sh 'touch ../b.flag; while [ ! -f ../a.flag ]; do sleep 0.05; done; echo b-done' } }
                            }
                        }
                    }
                }
                """).assertResult(Result.SUCCESS).assertStage("A", "SUCCESS").assertStage("B", "SUCCESS").assertLog("a-done", "b-done");
    }

    @Test
    void parallelWithoutFailFastLetsSiblingsFinish() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('P') {
                            parallel {
                                stage('Bad') { steps { error 'bad one' } }
                                stage('Good') { steps { sleep time: 300, unit: 'MILLISECONDS'; echo 'good-finished' } }
                            }
                        }
                        stage('After') { steps { echo 'never-after' } }
                    }
                }
                """).assertResult(Result.FAILURE).assertStage("P", "FAILURE").assertStage("Bad", "FAILURE").assertStage("Good", "SUCCESS")
                .assertStage("After", "NOT_EXECUTED").assertLog("good-finished").assertNoLog("never-after");
    }

    @Test
    void failFastAbortsTheSibling() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Checks') {
                            failFast true
                            parallel {
                                stage('Fast') { steps { error 'fast check failed' } }
                                stage('Slow') {
                                    steps { sh 'sleep 20; echo slow-finished' }
                                    post { aborted { echo 'slow-post-aborted' } }
                                }
                            }
                        }
                    }
                }
                """).assertResult(Result.FAILURE).assertStage("Fast", "FAILURE").assertStage("Slow", "ABORTED")
                .assertLog("fast check failed", "slow-post-aborted").assertNoLog("slow-finished");
    }

    @Test
    void parallelInsideParallelIsRejectedByLint() {
        List<String> problems = PipelineHarness.lint("""
                pipeline {
                    agent any
                    stages {
                        stage('Outer') {
                            parallel {
                                stage('Inner') {
                                    parallel {
                                        stage('Deep') { steps { echo 'x' } }
                                    }
                                }
                            }
                        }
                    }
                }
                """);
        assertTrue(problems.stream().anyMatch(p -> p.toLowerCase().contains("parallel")), problems.toString());
    }

    @Test
    void matrixRunsEveryCellButTheExcludedOnes() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent none
                    stages {
                        stage('Matrix') {
                            matrix {
                                agent any
                                axes {
                                    axis { name 'OS'; values 'linux', 'mac', 'windows' }
                                    axis { name 'JDK'; values '17', '21' }
                                }
                                excludes {
                                    exclude {
                                        axis { name 'OS'; values 'mac' }
                                        axis { name 'JDK'; values '17' }
                                    }
                                    exclude {
                                        axis { name 'OS'; notValues 'linux', 'mac' }
                                        axis { name 'JDK'; values '21' }
                                    }
                                }
                                environment { LABEL = "${OS}-${JDK}" }
                                when { not { environment name: 'LABEL', value: 'windows-17' } }
                                stages {
                                    stage('Build') { steps { sh 'echo "build $OS $JDK label=$LABEL"' } }
                                }
                                post { always { echo "cell-post ${OS}/${JDK}" } }
                            }
                        }
                    }
                }
                """).assertResult(Result.SUCCESS)
                .assertStage("Matrix - OS = 'linux', JDK = '17'", "SUCCESS")
                .assertStage("Matrix - OS = 'linux', JDK = '21'", "SUCCESS")
                .assertStage("Matrix - OS = 'mac', JDK = '21'", "SUCCESS")
                .assertStage("Matrix - OS = 'windows', JDK = '17'", "SKIPPED")
                .assertLog("build linux 17 label=linux-17", "build linux 21 label=linux-21", "build mac 21 label=mac-21",
                        "cell-post linux/17", "cell-post mac/21")
                .assertNoLog("build mac 17", "build windows", "cell-post windows", "Matrix - OS = 'mac', JDK = '17'",
                        "Matrix - OS = 'windows', JDK = '21'");
    }

    @Test
    void aFailingMatrixCellFailsTheMatrixStage() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('M') {
                            matrix {
                                axes { axis { name 'N'; values 'ok', 'bad' } }
                                stages {
                                    stage('Run') {
                                        steps { script { if (N == 'bad') { error "cell ${N} failed" } else { echo "cell ${N} passed" } } }
                                    }
                                }
                            }
                        }
                    }
                }
                """).assertResult(Result.FAILURE).assertStage("M", "FAILURE").assertStage("Matrix - N = 'bad'", "FAILURE")
                .assertStage("Matrix - N = 'ok'", "SUCCESS").assertParent("Matrix - N = 'ok'", "M").assertLog("cell bad failed", "cell ok passed");
    }

    @Test
    void aMatrixWhoseExcludesRemoveEveryCellIsALintError() {
        List<String> problems = PipelineHarness.lint("""
                pipeline {
                    agent any
                    stages {
                        stage('M') {
                            matrix {
                                axes { axis { name 'N'; values 'a', 'b' } }
                                excludes { exclude { axis { name 'N'; values 'a', 'b' } } }
                                stages { stage('S') { steps { echo 'x' } } }
                            }
                        }
                    }
                }
                """);
        assertTrue(problems.stream().anyMatch(p -> p.contains("exclude")), problems.toString());
    }
}
