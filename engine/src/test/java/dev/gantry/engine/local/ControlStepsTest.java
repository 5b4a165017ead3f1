package dev.gantry.engine.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** echo, error, unstable, catchError, warnError, retry, timeout, sleep, waitUntil, timestamps. */
class ControlStepsTest {
    @TempDir
    Path dir;

    private PipelineHarness.Ran scripted(String body) throws Exception {
        return PipelineHarness.run(dir, "node {\n" + body + "\n}\n");
    }

    @Test
    void echoErrorUnstable() throws Exception {
        scripted("echo 'plain'\necho message: 'named'\nunstable 'not great'\necho 'goes on'").assertResult(Result.UNSTABLE)
                .assertLogOrder("plain", "named", "not great", "goes on");
        scripted("error message: 'named error'\necho 'never'").assertResult(Result.FAILURE).assertLog("ERROR: named error").assertNoLog("never");
    }

    @Test
    void catchErrorDefaultsToBuildFailureAndGoesOn() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('S') {
                            steps {
                                catchError { error 'caught one' }
                                echo 'continues'
                            }
                        }
                        stage('T') { steps { echo 'next stage runs' } }
                    }
                }
                """).assertResult(Result.FAILURE).assertStage("S", "SUCCESS").assertLog("caught one", "continues", "next stage runs");
    }

    @Test
    void catchErrorWithResultsAndMessage() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('S') {
                            steps {
                                catchError(buildResult: 'UNSTABLE', stageResult: 'FAILURE', message: 'lint found problems') {
                                    sh 'exit 1'
                                }
                            }
                        }
                        stage('T') { steps { catchError(buildResult: 'SUCCESS', stageResult: 'UNSTABLE') { error 'minor' } } }
                    }
                }
                """).assertResult(Result.UNSTABLE).assertStage("S", "FAILURE").assertStage("T", "UNSTABLE")
                .assertLogOrder("lint found problems", "script returned exit code 1", "minor");
    }

    @Test
    void catchErrorWithoutCatchInterruptionsLetsATimeoutThrough() throws Exception {
        scripted("""
                catchError(buildResult: 'UNSTABLE', catchInterruptions: false) {
                    timeout(time: 200, unit: 'MILLISECONDS') { sleep 10 }
                }
                echo 'never'
                """).assertResult(Result.ABORTED).assertNoLog("never");
        scripted("""
                catchError(buildResult: 'UNSTABLE') {
                    timeout(time: 200, unit: 'MILLISECONDS') { sleep 10 }
                }
                echo 'caught the timeout'
                """).assertResult(Result.UNSTABLE).assertLog("caught the timeout");
    }

    @Test
    void warnErrorMarksUnstable() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('W') { steps { warnError('tests failed') { error 'three failures' }; echo 'after warn' } }
                    }
                }
                """).assertResult(Result.UNSTABLE).assertStage("W", "UNSTABLE").assertLog("tests failed", "three failures", "after warn");
    }

    @Test
    void retryRetriesUntilSuccess() throws Exception {
        scripted("""
                int n = 0
                retry(count: 3) {
                    n++
                    if (n < 3) { error "attempt ${n} failed" }
                    echo "succeeded on ${n}"
                }
                """).assertResult(Result.SUCCESS).assertLogOrder("attempt 1 failed", "Retrying", "attempt 2 failed", "succeeded on 3");
    }

    @Test
    void retryGivesUpAfterCount() throws Exception {
        scripted("""
                int n = 0
                retry(2) { n++; echo "try ${n}"; error 'always' }
                """).assertResult(Result.FAILURE).assertLog("try 1", "try 2").assertNoLog("try 3");
    }

    @Test
    void retryDoesNotRetryAborts() throws Exception {
        scripted("""
                int n = 0
                retry(3) {
                    n++
                    echo "abortable try ${n}"
                    timeout(time: 100, unit: 'MILLISECONDS') { sleep 5 }
                }
                """).assertResult(Result.ABORTED).assertLog("abortable try 1").assertNoLog("abortable try 2");
    }

    @Test
    void retryWithAgentConditionDoesNotRetryOrdinaryErrors() throws Exception {
        scripted("""
                int n = 0
                retry(count: 3, conditions: [agent()]) { n++; echo "conditional try ${n}"; error 'ordinary' }
                """).assertResult(Result.FAILURE).assertLog("conditional try 1", "ordinary").assertNoLog("conditional try 2");
    }

    @Test
    void timeoutAbortsAndKillsTheProcess() throws Exception {
        long start = System.nanoTime();
        scripted("timeout(time: 300, unit: 'MILLISECONDS') { sh 'sleep 30; echo not-killed' }").assertResult(Result.ABORTED)
                .assertLog("Timeout has been exceeded").assertNoLog("not-killed");
        assertTrue(System.nanoTime() - start < 10_000_000_000L);
    }

    @Test
    void timeoutDefaultUnitIsMinutesAndAFastBodyIsUnaffected() throws Exception {
        scripted("timeout(1) { echo 'quick' }\ntimeout(time: 5, unit: 'SECONDS') { echo 'also quick' }").assertResult(Result.SUCCESS)
                .assertLog("quick", "also quick");
    }

    @Test
    void activityTimeoutSurvivesABodyThatKeepsPrinting() throws Exception {
        // 3 s of output, a line every 100 ms, under a 1.5 s inactivity limit: twice the limit in all,
        // with a wide margin between lines for a busy machine.
        scripted("""
                timeout(time: 1500, unit: 'MILLISECONDS', activity: true) {
                    sh 'i=0; while [ $i -lt 30 ]; do echo tick $i; sleep 0.1; i=$((i+1)); done; echo kept-alive'
                }
                """).assertResult(Result.SUCCESS).assertLog("kept-alive");
        scripted("""
                timeout(time: 300, unit: 'MILLISECONDS', activity: true) { sh 'echo start; sleep 10; echo never' }
                """).assertResult(Result.ABORTED).assertNoLog("never\n");
    }

    @Test
    void sleepUnits() throws Exception {
        long start = System.nanoTime();
        scripted("sleep time: 200, unit: 'MILLISECONDS'\nsleep(time: 0, unit: 'SECONDS')\nsleep 0").assertResult(Result.SUCCESS)
                .assertLog("Sleeping for 200 milliseconds");
        assertTrue(System.nanoTime() - start >= 200_000_000L);
    }

    @Test
    void sleepInAClosureIsTheStepNotGroovysMilliseconds() throws Exception {
        long start = System.nanoTime();
        scripted("stage('S') { sleep 1 }").assertResult(Result.SUCCESS).assertLog("[Pipeline] sleep");
        assertTrue(System.nanoTime() - start >= 1_000_000_000L, "sleep 1 slept less than a second");
    }

    @Test
    void waitUntilRetriesUntilTrue() throws Exception {
        scripted("""
                int tries = 0
                waitUntil(initialRecurrencePeriod: 20) { tries++; return tries >= 3 }
                echo "tries=${tries}"
                """).assertResult(Result.SUCCESS).assertLog("tries=3", "Will try again");
        scripted("""
                int tries = 0
                waitUntil(initialRecurrencePeriod: 20, quiet: true) { tries++; tries >= 3 }
                echo "quiet tries=${tries}"
                """).assertResult(Result.SUCCESS).assertLog("quiet tries=3").assertNoLog("Will try again");
    }

    @Test
    void waitUntilEndsWithATimeout() throws Exception {
        scripted("timeout(time: 300, unit: 'MILLISECONDS') { waitUntil(initialRecurrencePeriod: 10, quiet: true) { false } }")
                .assertResult(Result.ABORTED);
    }

    @Test
    void timestampsStep() throws Exception {
        PipelineHarness.Ran r = scripted("echo 'before'\ntimestamps { echo 'inside'; sh 'echo shell-inside' }\necho 'after'")
                .assertResult(Result.SUCCESS);
        assertTrue(Pattern.compile("(?m)^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] inside$").matcher(r.log()).find(), r.log());
        assertTrue(Pattern.compile("(?m)^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] shell-inside$").matcher(r.log()).find(), r.log());
        assertTrue(Pattern.compile("(?m)^before$").matcher(r.log()).find(), r.log());
        assertTrue(Pattern.compile("(?m)^after$").matcher(r.log()).find(), r.log());
    }

    @Test
    void withEnvSetsAndRestores() throws Exception {
        scripted("""
                withEnv(['A=1', 'B=two words']) {
                    sh 'echo "a=$A b=$B"'
                    withEnv(['A=inner']) { sh 'echo "inner a=$A b=$B"' }
                }
                sh 'echo "outside a=${A:-unset}"'
                """).assertResult(Result.SUCCESS).assertLog("a=1 b=two words", "inner a=inner b=two words", "outside a=unset");
        scripted("withEnv(['NOEQUALS']) { echo 'x' }").assertResult(Result.FAILURE).assertLog("'NOEQUALS' is not of the form NAME=value");
    }
}
