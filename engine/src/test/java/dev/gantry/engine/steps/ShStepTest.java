package dev.gantry.engine.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.api.step.FlowInterruptedException;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.engine.workspace.LocalWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShStepTest {
    @TempDir
    Path tmp;

    private final ShStep sh = new ShStep();

    private LocalWorkspace ws() {
        return new LocalWorkspace("built-in", tmp.resolve("ws"));
    }

    private Object run(TestStepContext ctx, Object... args) throws Exception {
        return sh.run(ctx, TestArguments.of(sh.descriptor(), args));
    }

    @Test
    void declaresJenkinsParameters() {
        var d = sh.descriptor();
        assertEquals("sh", d.name());
        assertEquals("script", d.positional());
        assertTrue(d.needsWorkspace());
        assertEquals(List.of("script", "returnStdout", "returnStatus", "label", "encoding"), List.copyOf(d.parameters().keySet()));
        assertEquals(ParamType.BOOLEAN, d.parameters().get("returnStdout").type());
        assertEquals(false, d.parameters().get("returnStatus").defaultValue());
        assertTrue(d.parameters().values().stream().noneMatch(p -> p.help().isBlank()));
        assertFalse(d.help().isBlank());
    }

    @Test
    void runsWithTracingAndStreamsOutputToTheConsole() throws Exception {
        TestStepContext ctx = new TestStepContext(ws());
        assertNull(run(ctx, "script", "echo hello"));
        assertTrue(ctx.log().contains("+ echo hello\nhello\n"), ctx.log());
        assertEquals(0, ctx.openStreams.get(), "the console stream must be closed");
    }

    @Test
    void aNonZeroExitFailsTheStepAndStopsAtTheFirstError() throws Exception {
        TestStepContext ctx = new TestStepContext(ws());
        StepFailedException e = assertThrows(StepFailedException.class, () -> run(ctx, "script", "echo before; exit 3"));
        assertEquals("script returned exit code 3", e.getMessage());
        TestStepContext ctx2 = new TestStepContext(ws());
        StepFailedException e2 = assertThrows(StepFailedException.class, () -> run(ctx2, "script", "false\necho after"));
        assertEquals("script returned exit code 1", e2.getMessage());
        assertFalse(ctx2.log().contains("\nafter"), ctx2.log());
    }

    @Test
    void returnStatusReturnsTheCodeInsteadOfFailing() throws Exception {
        assertEquals(3, run(new TestStepContext(ws()), "script", "exit 3", "returnStatus", true));
        assertEquals(0, run(new TestStepContext(ws()), "script", "true", "returnStatus", true));
        assertEquals(4, run(new TestStepContext(ws()), "script", "echo x; exit 4", "returnStatus", true, "returnStdout", true));
    }

    @Test
    void returnStdoutCapturesStandardOutputWhileStandardErrorStillReachesTheConsole() throws Exception {
        TestStepContext ctx = new TestStepContext(ws());
        Object out = run(ctx, "script", "echo captured; echo to-log >&2", "returnStdout", true);
        assertEquals("captured\n", out);
        assertTrue(ctx.log().contains("to-log"), ctx.log());
        assertFalse(ctx.log().lines().anyMatch("captured"::equals), ctx.log());
        assertThrows(StepFailedException.class, () -> run(new TestStepContext(ws()), "script", "echo x; exit 2", "returnStdout", true));
    }

    @Test
    void returnStdoutDecodesWithTheGivenEncoding() throws Exception {
        Object out = run(new TestStepContext(ws()), "script", "printf '\\351t\\351'", "returnStdout", true, "encoding", "ISO-8859-1");
        assertEquals("été", out);
        StepFailedException e = assertThrows(StepFailedException.class,
                () -> run(new TestStepContext(ws()), "script", "true", "encoding", "no-such-charset"));
        assertTrue(e.getMessage().contains("no-such-charset"), e.getMessage());
    }

    @Test
    void aShebangScriptRunsDirectlyWithoutTracing() throws Exception {
        TestStepContext ctx = new TestStepContext(ws());
        Object out = run(ctx, "script", "#!/bin/sh\necho \"direct $0\"", "returnStdout", true);
        assertTrue(((String) out).startsWith("direct " + tmp.resolve("ws@tmp")), (String) out);
        assertTrue(((String) out).trim().endsWith("/script.sh"), (String) out);
        assertFalse(ctx.log().contains("+ echo"), ctx.log());
    }

    @Test
    void theEnvironmentIsTheContextsAndNothingElse() throws Exception {
        TestStepContext ctx = new TestStepContext(ws()).env(Map.of("PATH", System.getenv("PATH"), "GREETING", "hi there"));
        Object out = run(ctx, "script", "echo \"$GREETING|${HOME-unset}\"", "returnStdout", true);
        assertEquals("hi there|unset\n", out);
    }

    @Test
    void runsInTheCurrentDirectoryAndCleansUpItsScript() throws Exception {
        LocalWorkspace sub = ws().child("module");
        Object out = run(new TestStepContext(sub), "script", "pwd -P", "returnStdout", true);
        assertEquals(tmp.resolve("ws/module").toRealPath().toString(), ((String) out).trim());
        Path tmpDir = tmp.resolve("ws@tmp");
        // A plain script runs as sh -c and writes no file at all.
        assertTrue(!Files.exists(tmpDir) || isEmpty(tmpDir));
        // A script with an interpreter line goes through a temporary file, removed afterwards.
        Object viaFile = run(new TestStepContext(sub), "script", "#!/bin/sh\npwd -P", "returnStdout", true);
        assertEquals(tmp.resolve("ws/module").toRealPath().toString(), ((String) viaFile).trim());
        assertTrue(Files.isDirectory(tmpDir));
        assertTrue(isEmpty(tmpDir), tmpDir + " still holds files");
    }

    private static boolean isEmpty(Path dir) throws java.io.IOException {
        try (Stream<Path> left = Files.list(dir)) {
            return left.toList().isEmpty();
        }
    }

    @Test
    void aLabelIsPrinted() throws Exception {
        TestStepContext ctx = new TestStepContext(ws());
        run(ctx, "script", "true", "label", "Compile");
        assertTrue(ctx.log().startsWith("[Compile]\n"), ctx.log());
    }

    @Test
    void anAbortKillsTheScriptAndReportsTheReason() throws Exception {
        TestStepContext ctx = new TestStepContext(ws());
        assertAborted(ctx, "Aborted by alice", () -> ctx.cancel("Aborted by alice"));
        TestStepContext plain = new TestStepContext(ws());
        assertAborted(plain, "interrupted", () -> { });
    }

    private void assertAborted(TestStepContext ctx, String reason, Runnable beforeInterrupt) throws Exception {
        Path marker = tmp.resolve("ws/started");
        Files.deleteIfExists(marker);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                run(ctx, "script", "touch started; sleep 100 & sleep 100; wait");
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(marker) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(5_000_000L);
        }
        assertTrue(Files.exists(marker), "the script did not start");
        List<ProcessHandle> sleeps = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("sleep 100")).toList();
        beforeInterrupt.run();
        t.interrupt();
        t.join(Duration.ofSeconds(20));
        assertFalse(t.isAlive());
        FlowInterruptedException e = assertInstanceOf(FlowInterruptedException.class, thrown.get());
        assertEquals(Result.ABORTED, e.result());
        assertEquals(reason, e.getMessage());
        for (ProcessHandle p : sleeps) {
            assertFalse(p.isAlive() && p.info().commandLine().orElse("").contains("sleep 100"), "left running: " + p);
        }
        assertEquals(0, ctx.openStreams.get());
    }
}
