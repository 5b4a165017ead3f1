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

    @Test
    void launchesThroughPosixSpawnOnJava22AndNewerOnLinux() {
        String arch = System.getProperty("os.arch");
        boolean expected = Runtime.version().feature() >= 22 && System.getProperty("os.name").equals("Linux")
                && (arch.equals("amd64") || arch.equals("aarch64"));
        // Fails when the build tests the Java 21 classes on a newer JVM (the Java 22 ones must
        // come first on the test class path).
        assertEquals(expected, PosixSpawn.available());
    }

    @Test
    void failuresAreWordedAsWithProcessBuilder() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Path notExecutable = Files.writeString(tmp.resolve("plain.sh"), "#!/bin/sh\n");
        for (List<String> command : List.of(List.of("/no/such/program"), List.of("no-such-program-on-the-path"),
                List.of(notExecutable.toString()))) {
            IOException e = assertThrows(IOException.class, () -> LocalProcess.start(
                    new ProcessSpec(command, ENV, new ByteArrayOutputStream(), null), ws));
            assertEquals(expectedFailure(command, ws), e.getMessage());
        }
        Path missing = tmp.resolve("missing-dir");
        IOException e = assertThrows(IOException.class, () -> LocalProcess.start(
                new ProcessSpec(List.of("sh", "-c", "true"), ENV, new ByteArrayOutputStream(), null), missing));
        assertEquals(expectedFailure(List.of("sh", "-c", "true"), missing), e.getMessage());
    }

    /** Today's message: ProcessBuilder's, prefixed with the program and directory. */
    private static String expectedFailure(List<String> command, Path dir) {
        IOException e = assertThrows(IOException.class, () -> new ProcessBuilder(command).directory(dir.toFile()).start());
        return "Cannot run " + command.getFirst() + " in " + dir + ": " + e.getMessage();
    }

    @Test
    void invalidEnvironmentNamesAreRejectedAsByProcessBuilder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ws().launch(
                new ProcessSpec(List.of("true"), Map.of("A=B", "x"), new ByteArrayOutputStream(), null)));
        assertEquals("Invalid environment variable name: \"A=B\"", e.getMessage());
    }

    @Test
    void anExecutableWithoutInterpreterLineRunsWithBinSh() throws Exception {
        Path script = Files.writeString(tmp.resolve("bare"), "echo from a bare script\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, ws().launch(new ProcessSpec(List.of(script.toString()), ENV, out, null)).waitFor());
        assertEquals("from a bare script\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theEnvironmentIsListedInProcessBuildersOrder() throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        for (int i = 0; i < 40; i++) {
            env.put("VAR_" + Integer.toString(i * 7919, 36).toUpperCase(java.util.Locale.ROOT), "v" + i);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProcessSpec spec = new ProcessSpec(List.of("/usr/bin/env"), env, out, null);
        assertEquals(0, ws().launch(spec).waitFor());
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/env").redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(spec.environment());
        Process p = pb.start();
        String viaJdk = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertEquals(viaJdk, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void waitingForProcessesLeavesVirtualThreadsFreeToRun() throws Exception {
        // More waiting processes than carrier threads: if waiting pinned carriers, the virtual
        // thread that lets the processes end could never run.
        int n = Runtime.getRuntime().availableProcessors() + 3;
        Path go = tmp.resolve("go");
        List<Thread> waiters = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < n; i++) {
            RunningProcess p = ws().launch(sh("while [ ! -e '" + go + "' ]; do sleep 0.05; done", new ByteArrayOutputStream(), null));
            waiters.add(Thread.ofVirtual().start(() -> {
                try {
                    if (p.waitFor() == 0) {
                        done.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        Thread.ofVirtual().start(() -> {
            try {
                Files.createFile(go);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).join(java.time.Duration.ofSeconds(20));
        assertTrue(Files.exists(go), "the virtual thread creating the file did not run");
        for (Thread t : waiters) {
            t.join(java.time.Duration.ofSeconds(20));
        }
        assertEquals(n, done.get());
    }

    @Test
    void manyLaunchesLeakNoDescriptors() throws Exception {
        ws().launch(sh("true", new ByteArrayOutputStream(), null)).waitFor();
        long before = openDescriptors();
        for (int i = 0; i < 300; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(0, ws().launch(sh("echo out; echo err >&2", out, i % 2 == 0 ? null : err)).waitFor());
            assertEquals(i % 2 == 0 ? "out\nerr\n" : "out\n", out.toString(StandardCharsets.UTF_8));
        }
        assertThrows(IOException.class, () -> ws().launch(new ProcessSpec(List.of("/no/such"), ENV,
                new ByteArrayOutputStream(), new ByteArrayOutputStream())));
        long after = openDescriptors();
        // A leak would show 300 or more; the JVM may open or close a few of its own meanwhile.
        assertTrue(after <= before + 5, "open descriptors of this JVM: " + before + " before 300 launches, " + after + " after");
    }

    private static long openDescriptors() throws IOException {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
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
