package dev.gantry.engine.local;

import dev.gantry.api.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripted pipelines: node, stage, parallel, Groovy control flow, and the globals. */
class ScriptedPipelineTest {
    @TempDir
    Path dir;

    @Test
    void nodeStagesLoopsClosuresAndFunctions() throws Exception {
        PipelineHarness.run(dir, """
                def greet(String who) { return "hello ${who}" }
                def twice = { x -> x * 2 }
                node('any') {
                    stage('Loop') {
                        for (int i = 0; i < 3; i++) { echo "i=${i}" }
                        ['a', 'b'].each { echo "item=${it}" }
                        def m = [k1: 1, k2: 2]
                        m.each { k, v -> echo "${k}->${twice(v)}" }
                        int n = 0
                        while (n < 2) { n++ }
                        echo "n=${n}"
                    }
                    stage('Functions') {
                        echo greet('pipeline')
                        def out = sh(script: 'echo from-sh', returnStdout: true).trim()
                        echo "got ${out}"
                    }
                }
                """).assertResult(Result.SUCCESS).assertStage("Loop", "SUCCESS").assertStage("Functions", "SUCCESS")
                .assertLogOrder("i=0", "i=1", "i=2", "item=a", "item=b", "k1->2", "k2->4", "n=2", "hello pipeline", "got from-sh");
    }

    @Test
    void tryCatchFinally() throws Exception {
        PipelineHarness.run(dir, """
                node {
                    try {
                        sh 'exit 3'
                        echo 'not reached'
                    } catch (e) {
                        echo "caught: ${e.message}"
                    } finally {
                        echo 'finally ran'
                    }
                    try {
                        error 'custom'
                    } catch (Exception e) {
                        echo "caught again: ${e.message}"
                    }
                }
                """).assertResult(Result.SUCCESS).assertLogOrder("caught: script returned exit code 3", "finally ran", "caught again: custom")
                .assertNoLog("not reached");
    }

    @Test
    void anUncaughtErrorRunsFinallyAndFails() throws Exception {
        PipelineHarness.run(dir, """
                node {
                    try {
                        stage('Breaks') { error 'broken build' }
                        stage('Never') { echo 'never' }
                    } finally {
                        echo 'cleanup in finally'
                    }
                }
                """).assertResult(Result.FAILURE).assertStage("Breaks", "FAILURE").assertLog("cleanup in finally", "ERROR: broken build")
                .assertNoLog("never");
    }

    @Test
    void parallelMapWithFailFast() throws Exception {
        PipelineHarness.run(dir, """
                def branches = [:]
                branches['fast'] = { error 'fast failed' }
                branches['slow'] = { node { sh 'sleep 20; echo slow-finished' } }
                branches.failFast = true
                parallel branches
                """).assertResult(Result.FAILURE).assertLog("fast failed").assertNoLog("slow-finished");
    }

    @Test
    void parallelMapCollectsAllBranches() throws Exception {
        PipelineHarness.run(dir, """
                def results = [:]
                def branches = [:]
                for (def name in ['x', 'y', 'z']) {
                    def n = name
                    branches[n] = { results[n] = n.toUpperCase(); echo "branch ${n}" }
                }
                parallel branches
                echo "results=${results.keySet().sort()} ${results.values().sort()}"
                """).assertResult(Result.SUCCESS).assertLog("branch x", "branch y", "branch z", "results=[x, y, z] [X, Y, Z]");
    }

    @Test
    void envAndParams() throws Exception {
        PipelineHarness.run(dir, """
                env.STAGE_VAR = 'set-by-script'
                node {
                    echo "job=${env.JOB_NAME} number=${env.BUILD_NUMBER} p=${params.P}"
                    sh 'echo "sh-var=$STAGE_VAR p=$P"'
                    withEnv(['LOCAL=1']) { echo "local=${env.LOCAL}" }
                    echo "local-after=${env.LOCAL}"
                }
                """, r -> r.parameter("P", "pv").number(12)).assertResult(Result.SUCCESS)
                .assertLog("job=test-job number=12 p=pv", "sh-var=set-by-script p=pv", "local=1", "local-after=null");
    }

    @Test
    void currentBuild() throws Exception {
        PipelineHarness.run(dir, """
                echo "result=${currentBuild.result} current=${currentBuild.currentResult} number=${currentBuild.number}"
                echo "name=${currentBuild.displayName} previous=${currentBuild.previousBuild}"
                currentBuild.displayName = 'custom #1'
                currentBuild.description = 'a description'
                echo "now name=${currentBuild.displayName} description=${currentBuild.description}"
                echo "duration=${currentBuild.durationString}"
                currentBuild.result = 'UNSTABLE'
                echo "after result=${currentBuild.result} current=${currentBuild.currentResult}"
                currentBuild.result = 'SUCCESS'
                echo "cannot improve=${currentBuild.result}"
                """, r -> r.number(3)).assertResult(Result.UNSTABLE)
                .assertLog("result=null current=SUCCESS number=3", "name=#3 previous=null", "now name=custom #1 description=a description",
                        "and counting", "after result=UNSTABLE current=UNSTABLE", "cannot improve=UNSTABLE");
    }

    @Test
    void stageUnstableInScripted() throws Exception {
        PipelineHarness.run(dir, """
                node {
                    stage('Warn') { unstable 'flaky' }
                    stage('Ok') { echo 'ok' }
                }
                """).assertResult(Result.UNSTABLE).assertStage("Warn", "UNSTABLE").assertStage("Ok", "SUCCESS");
    }

    @Test
    void thousandStagesRun() throws Exception {
        long start = System.nanoTime();
        PipelineHarness.Ran r = PipelineHarness.run(dir, """
                for (int i = 0; i < 1000; i++) {
                    stage("S${i}") { echo "stage ${i}" }
                }
                """).assertResult(Result.SUCCESS).assertStage("S0", "SUCCESS").assertStage("S999", "SUCCESS").assertLog("stage 999");
        org.junit.jupiter.api.Assertions.assertEquals(1000, ((java.util.List<?>) r.report().get("stages")).size());
        org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() - start < 5_000_000_000L, "1000 stages took too long");
    }

    @Test
    void thousandDeclarativeStagesRun() throws Exception {
        StringBuilder stages = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            stages.append("stage('S").append(i).append("') { steps { echo 'declarative ").append(i).append("' } }\n");
        }
        PipelineHarness.run(dir, "pipeline {\n agent none\n stages {\n" + stages + "}\n}\n").assertResult(Result.SUCCESS)
                .assertStage("S999", "SUCCESS").assertLog("declarative 999");
    }
}
