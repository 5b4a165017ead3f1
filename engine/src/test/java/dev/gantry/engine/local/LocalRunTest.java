package dev.gantry.engine.local;

import dev.gantry.api.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRunTest {
    @TempDir
    Path dir;

    @Test
    void declarativePipelineRunsItsStagesAndPostInOrder() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('One') { steps { echo 'first' } }
                        stage('Two') { steps { sh 'echo second' } }
                    }
                    post { always { echo 'post' } }
                }
                """).assertResult(Result.SUCCESS).assertStage("One", "SUCCESS").assertStage("Two", "SUCCESS")
                .assertLogOrder("first", "second", "post", "Finished: SUCCESS");
    }

    @Test
    void scriptedFailureEndsTheBuildWithTheMessageAndItsLine() throws Exception {
        PipelineHarness.run(dir, """
                node {
                    stage('Only') {
                        error 'stop here'
                    }
                }
                """).assertResult(Result.FAILURE).assertStage("Only", "FAILURE").assertLog("ERROR: stop here", "Finished: FAILURE");
    }

    @Test
    void mapSubscriptsWorkInTheSandboxAndPropertySubscriptsAreChecked() throws Exception {
        PipelineHarness.run(dir, """
                def branches = [:]
                def name = 'one'
                branches[name] = 1
                branches["t${'wo'}"] = 2
                echo "keys=${branches.keySet()} two=${branches['two']}"
                """).assertResult(Result.SUCCESS).assertLog("keys=[one, two] two=2");
        PipelineHarness.run(dir, """
                def type = 'text'.class
                echo "${type['classLoader']}"
                """).assertResult(Result.FAILURE).assertLog("not permitted");
    }

    @Test
    void anInfiniteLoopInAScriptBlockEndsWhenItsTimeoutExpires() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Spin') {
                            steps {
                                timeout(time: 1, unit: 'SECONDS') {
                                    script {
                                        while (true) { }
                                    }
                                }
                            }
                        }
                    }
                }
                """).assertResult(Result.ABORTED).assertStage("Spin", "ABORTED").assertLog("Timeout has been exceeded");
    }
}
