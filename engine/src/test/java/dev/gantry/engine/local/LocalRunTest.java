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
}
