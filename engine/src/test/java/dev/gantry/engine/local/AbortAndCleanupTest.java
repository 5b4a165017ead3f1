package dev.gantry.engine.local;

import dev.gantry.api.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aborts and timeouts interrupt the running step once, as in Jenkins: {@code finally} and
 * {@code catch} blocks can still run steps; a second abort forces the end.
 */
class AbortAndCleanupTest {
    @TempDir
    Path dir;

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
    }

    @Test
    void finallyRunsStepsAfterATimeout() throws Exception {
        PipelineHarness.run(dir, """
                node {
                    timeout(time: 1500, unit: 'MILLISECONDS') {
                        try {
                            sh 'sleep 20; echo not-reached'
                        } finally {
                            echo 'cleanup-echo'
                            sh 'echo cleanup-sh'
                        }
                    }
                }
                """).assertResult(Result.ABORTED).assertLog("cleanup-echo", "cleanup-sh", "Timeout has been exceeded")
                .assertNoLog("not-reached");
    }

    @Test
    void aCaughtTimeoutLetsTheBuildGoOnAsInJenkins() throws Exception {
        PipelineHarness.run(dir, """
                node {
                    try {
                        timeout(time: 200, unit: 'MILLISECONDS') { sleep 20 }
                    } catch (e) {
                        echo "caught: ${e.message}"
                    }
                    sh 'echo goes-on'
                }
                """).assertResult(Result.SUCCESS).assertLog("caught: Timeout has been exceeded", "goes-on");
    }

    @Test
    void finallyRunsStepsAfterAUserAbort() throws Exception {
        PipelineHarness.run(dir, """
                node {
                    stage('Long') {
                        try {
                            sh 'touch started; sleep 20; echo not-reached'
                        } finally {
                            sh 'echo cleanup-after-abort'
                        }
                    }
                }
                """, r -> r.onStart(build -> Thread.ofVirtual().start(() -> {
                    // Abort only once the script is inside the try: an abort that lands before it
                    // ends the build without a finally to run, which is right but not this test.
                    await(() -> Files.exists(dir.resolve("ws/started")));
                    build.abort("Aborted by test user");
                }))).assertResult(Result.ABORTED).assertStage("Long", "ABORTED")
                .assertLog("cleanup-after-abort", "Aborted by test user").assertNoLog("not-reached");
    }

    @Test
    void aSecondAbortEndsCodeThatSwallowsTheFirst() throws Exception {
        Path marker = dir.resolve("ws/swallowed");
        PipelineHarness.run(dir, """
                node {
                    stage('Stubborn') {
                        while (true) {
                            try {
                                writeFile file: 'sleeping', text: 'yes'
                                sleep 5
                            } catch (e) {
                                writeFile file: 'swallowed', text: 'yes'
                            }
                        }
                    }
                }
                """, r -> r.onStart(build -> Thread.ofVirtual().start(() -> {
                    // The first abort must reach the script inside the try, where it is swallowed.
                    await(() -> Files.exists(dir.resolve("ws/sleeping")));
                    build.abort("first abort");
                    await(() -> Files.exists(marker));
                    build.abort("second abort");
                }))).assertResult(Result.ABORTED).assertStage("Stubborn", "ABORTED");
        org.junit.jupiter.api.Assertions.assertTrue(Files.exists(marker), "the first abort was not swallowed, so this test proves nothing");
    }
}
