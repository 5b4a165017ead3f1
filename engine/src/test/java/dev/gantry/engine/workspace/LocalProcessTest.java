package dev.gantry.engine.workspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.workspace.ProcessSpec;
import dev.gantry.api.workspace.RunningProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessTest {
    @TempDir
    Path tmp;

    private static final Map<String, String> ENV = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));

    private LocalWorkspace ws() {
        return new LocalWorkspace("n", tmp.resolve("ws"));
    }

    private static ProcessSpec sh(String script, OutputStream out, OutputStream err) {
        return new ProcessSpec(List.of("sh", "-c", script), ENV, out, err);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }

    @Test
    void returnsTheExitCode() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, ws().launch(sh("true", out, null)).waitFor());
        assertEquals(3, ws().launch(sh("exit 3", out, null)).waitFor());
        assertEquals(255, ws().launch(sh("exit 255", out, null)).waitFor());
    }

    @Test
    void runsInTheWorkspaceDirectoryCreatingIt() throws Exception {
        LocalWorkspace sub = ws().child("deep/dir");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, sub.launch(sh("pwd -P", out, null)).waitFor());
        assertEquals(tmp.resolve("ws/deep/dir").toRealPath().toString(), out.toString(StandardCharsets.UTF_8).trim());
    }

    @Test
    void environmentIsExactlyTheOneGiven() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunningProcess p = ws().launch(new ProcessSpec(List.of("/usr/bin/env"), Map.of("ONLY_THIS", "yes"), out, null));
        assertEquals(0, p.waitFor());
        assertEquals("ONLY_THIS=yes\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void standardErrorIsMergedWhenNoStreamIsGiven() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ws().launch(sh("echo out; echo err >&2", out, null)).waitFor();
        assertEquals("out\nerr\n", out.toString(StandardCharsets.UTF_8));

        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        ws().launch(sh("echo out; echo err >&2", out2, err2)).waitFor();
        assertEquals("out\n", out2.toString(StandardCharsets.UTF_8));
        assertEquals("err\n", err2.toString(StandardCharsets.UTF_8));
    }

    @Test
    void standardInputIsEmpty() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, ws().launch(sh("cat; echo done", out, null)).waitFor());
        assertEquals("done\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void outputThatIsNotUtf8PassesThroughByteExact() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ws().launch(sh("printf '\\377\\376\\000abc\\200\\r\\n'", out, null)).waitFor();
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 'a', 'b', 'c', (byte) 0x80, '\r', '\n'},
                out.toByteArray());
    }

    @Test
    void streamsLargeOutputInChunksWithoutHoldingIt() throws Exception {
        long size = 200L * 1024 * 1024;
        CountingStream out = new CountingStream();
        int code = ws().launch(sh("head -c " + size + " /dev/zero", out, null)).waitFor();
        assertEquals(0, code);
        assertEquals(size, out.count);
        assertTrue(out.largestWrite <= 64 * 1024, "largest write " + out.largestWrite);
        assertFalse(out.closed, "the caller's stream must stay open");
        assertTrue(out.flushes > 0);
    }

    @Test
    void interruptingWaitForKillsTheWholeProcessTree() throws Exception {
        LocalProcess p = (LocalProcess) ws().launch(sh("sleep 100 & sleep 100; wait", new ByteArrayOutputStream(), null));
        await("both sleeps run", () -> p.handle().descendants().count() == 2);
        List<ProcessHandle> tree = p.handle().descendants().toList();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                p.waitFor();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        long started = System.nanoTime();
        waiter.interrupt();
        waiter.join(java.time.Duration.ofSeconds(20));
        assertFalse(waiter.isAlive());
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertTrue(System.nanoTime() - started < 15_000_000_000L);
        assertFalse(p.handle().isAlive());
        await("the children are gone", () -> tree.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void killEscalatesToSigkillForProcessesIgnoringSigterm() throws Exception {
        LocalProcess p = (LocalProcess) ws().launch(sh("trap '' TERM; sleep 100 & sleep 100; wait",
                new ByteArrayOutputStream(), null));
        await("both sleeps run", () -> p.handle().descendants().count() == 2);
        List<ProcessHandle> tree = p.handle().descendants().toList();
        p.kill();
        await("the parent is gone", () -> !p.handle().isAlive());
        await("the children are gone", () -> tree.stream().noneMatch(ProcessHandle::isAlive));
        assertTrue(p.waitFor() != 0);
    }

    @Test
    void aProgramThatCannotStartIsNamed() {
        IOException e = assertThrows(IOException.class, () -> ws().launch(new ProcessSpec(
                List.of("/no/such/program"), ENV, new ByteArrayOutputStream(), null)));
        assertTrue(e.getMessage().contains("/no/such/program"), e.getMessage());
    }

    @Test
    void anOutputStreamFailureDoesNotBlockTheProcess() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("console gone");
            }
        };
        LocalProcess p = (LocalProcess) ws().launch(sh("head -c 1000000 /dev/zero", broken, null));
        assertEquals(0, p.waitFor());
        assertEquals("console gone", p.outputFailure().getMessage());
        assertTrue(Files.isDirectory(tmp.resolve("ws")));
    }

    /** Counts bytes and remembers nothing else, like a console that forwards lines. */
    private static final class CountingStream extends OutputStream {
        long count;
        int largestWrite;
        int flushes;
        boolean closed;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
            largestWrite = Math.max(largestWrite, len);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
