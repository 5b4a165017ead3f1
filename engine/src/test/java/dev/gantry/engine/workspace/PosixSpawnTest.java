package dev.gantry.engine.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The posix_spawn launcher itself (the Java 22 variant the build puts first on the test class
 * path). Pipes are read on platform threads, as LocalProcess does.
 */
class PosixSpawnTest {
    @TempDir
    Path tmp;

    private static final String PATH = "PATH=" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");

    @BeforeEach
    void onlyWhereAvailable() {
        assumeTrue(PosixSpawn.available(), "posix_spawn launcher not available on this JVM");
    }

    private static byte[] cstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1);
    }

    private static byte[][] c(String... strings) {
        return Stream.of(strings).map(PosixSpawnTest::cstr).toArray(byte[][]::new);
    }

    private Spawned spawn(String script, boolean merge, String... env) throws SpawnException {
        return PosixSpawn.spawn(c("sh", "-c", script), c(env), cstr(tmp.toString()), merge);
    }

    /** Everything the process wrote and its exit code, read as LocalProcess reads it. */
    private record Result(int code, String out, String err) {
    }

    private static Result finish(Spawned p) throws Exception {
        CompletableFuture<byte[]> out = readAll(p.stdout());
        CompletableFuture<byte[]> err = p.stderr() == null ? CompletableFuture.completedFuture(new byte[0])
                : readAll(p.stderr());
        String o = new String(out.get(), StandardCharsets.UTF_8);
        String e = new String(err.get(), StandardCharsets.UTF_8);
        return new Result(PosixSpawn.waitFor(p.pid()), o, e);
    }

    private static CompletableFuture<byte[]> readAll(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try (in) {
                f.complete(in.readAllBytes());
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return f;
    }

    @Test
    void returnsExitCodesAndSignalsAsTheJdkDoes() throws Exception {
        assertEquals(0, finish(spawn("true", true, PATH)).code());
        assertEquals(3, finish(spawn("exit 3", true, PATH)).code());
        assertEquals(255, finish(spawn("exit 255", true, PATH)).code());
        assertEquals(128 + 9, finish(spawn("kill -9 $$", true, PATH)).code());
        assertEquals(128 + 15, finish(spawn("kill -15 $$", true, PATH)).code());
    }

    @Test
    void separatesOrMergesStandardError() throws Exception {
        Result merged = finish(spawn("echo out; echo err >&2", true, PATH));
        assertEquals("out\nerr\n", merged.out());
        Result apart = finish(spawn("echo out; echo err >&2", false, PATH));
        assertEquals("out\n", apart.out());
        assertEquals("err\n", apart.err());
    }

    @Test
    void largeOutputOnBothPipesDoesNotDeadlock() throws Exception {
        // Far beyond a pipe's buffer on both streams at once: a reader that drained one pipe
        // before the other would hang here.
        Result r = finish(spawn("head -c 5000000 /dev/zero >&2 & head -c 5000000 /dev/zero; wait", false, PATH));
        assertEquals(0, r.code());
        assertEquals(5_000_000, r.out().length());
        assertEquals(5_000_000, r.err().length());
    }

    @Test
    void environmentIsExactlyTheOneGiven() throws Exception {
        Result r = finish(PosixSpawn.spawn(c("/usr/bin/env"), c("ONLY=this", "SECOND=2 3"), cstr(tmp.toString()), true));
        assertEquals("ONLY=this\nSECOND=2 3\n", r.out());
    }

    @Test
    void runsInTheGivenDirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("a dir/with spaces"));
        Result r = finish(PosixSpawn.spawn(c("pwd", "-P"), c(PATH), cstr(dir.toString()), true));
        assertEquals(dir.toRealPath() + "\n", r.out());
    }

    @Test
    void looksTheProgramUpOnTheJvmsPathNotTheChildsEnvironment() throws Exception {
        Result r = finish(PosixSpawn.spawn(c("sh", "-c", "echo found"), c("PATH=/nowhere"), cstr(tmp.toString()), true));
        assertEquals("found\n", r.out());
    }

    @Test
    void standardInputIsDevNullAndNoOtherDescriptorIsInherited() throws Exception {
        Path file = Files.writeString(tmp.resolve("held-open-by-the-jvm.txt"), "x");
        // FileInputStream opens without close-on-exec: a plain fork and exec would pass it on.
        try (FileInputStream held = new FileInputStream(file.toFile())) {
            // Builtins only in the shell itself: a glob or command substitution would open a
            // descriptor of its own while listing.
            Result r = finish(spawn("i=0; while [ $i -lt 4096 ]; do if [ -e /proc/$$/fd/$i ]; then "
                    + "printf '%s ' $i; readlink /proc/$$/fd/$i; fi; i=$((i+1)); done", true, PATH));
            List<String> lines = r.out().lines().toList();
            assertEquals("0 /dev/null", lines.getFirst(), r.out());
            assertTrue(lines.get(1).startsWith("1 pipe:"), r.out());
            assertTrue(lines.get(2).startsWith("2 pipe:"), r.out());
            assertEquals(3, lines.size(), "only 0, 1 and 2 are open in the child: " + r.out());
            assertTrue(held.available() > 0);
        }
    }

    @Test
    void signalsAreNotBlockedInTheChild() throws Exception {
        Result r = finish(spawn("grep '^SigBlk' /proc/self/status", true, PATH));
        assertEquals("SigBlk:\t0000000000000000\n", r.out());
    }

    @Test
    void aMissingProgramOrDirectoryIsReportedWithTheCLibrarysError() {
        SpawnException missing = assertThrows(SpawnException.class,
                () -> PosixSpawn.spawn(c("/no/such/program"), c(PATH), cstr(tmp.toString()), true));
        assertEquals(2, missing.errno());
        assertEquals("error=2, No such file or directory", missing.getMessage());

        SpawnException notOnPath = assertThrows(SpawnException.class,
                () -> PosixSpawn.spawn(c("no-such-program-anywhere"), c(PATH), cstr(tmp.toString()), true));
        assertEquals(2, notOnPath.errno());

        SpawnException noDir = assertThrows(SpawnException.class,
                () -> PosixSpawn.spawn(c("sh", "-c", "true"), c(PATH), cstr(tmp.resolve("missing").toString()), true));
        assertEquals("error=2, No such file or directory", noDir.getMessage());
    }

    @Test
    void aFileThatIsNotExecutableIsReportedAsDenied() throws Exception {
        Path script = Files.writeString(tmp.resolve("plain.sh"), "#!/bin/sh\necho hi\n");
        SpawnException e = assertThrows(SpawnException.class,
                () -> PosixSpawn.spawn(c(script.toString()), c(PATH), cstr(tmp.toString()), true));
        assertEquals(13, e.errno());
        assertEquals("error=13, Permission denied", e.getMessage());
    }

    @Test
    void anExecutableWithoutInterpreterLineIsNotAProgram() throws Exception {
        Path script = Files.writeString(tmp.resolve("bare.sh"), "echo hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        SpawnException e = assertThrows(SpawnException.class,
                () -> PosixSpawn.spawn(c(script.toString()), c(PATH), cstr(tmp.toString()), true));
        assertEquals(8, e.errno());
    }

    @Test
    void manyLaunchesLeakNoDescriptors() throws Exception {
        finish(spawn("true", false, PATH));
        long before = openDescriptors();
        for (int i = 0; i < 300; i++) {
            Result r = finish(spawn("echo " + i + "; echo e >&2", i % 2 == 0, PATH));
            assertEquals(0, r.code());
        }
        // The failure paths close what they opened too.
        assertThrows(SpawnException.class, () -> PosixSpawn.spawn(c("/no/such"), c(PATH), cstr(tmp.toString()), false));
        Path bare = Files.writeString(tmp.resolve("bare"), "true\n");
        Files.setPosixFilePermissions(bare, PosixFilePermissions.fromString("rwx------"));
        assertThrows(SpawnException.class, () -> PosixSpawn.spawn(c(bare.toString()), c(PATH), cstr(tmp.toString()), false));
        long after = openDescriptors();
        // A leak would show 300 or more; the JVM may open or close a few of its own meanwhile.
        assertTrue(after <= before + 5, "open descriptors of this JVM: " + before + " before 300 launches, " + after + " after");
    }

    @Test
    void aClosedPipeRefusesReadsAndClosesOnce() throws Exception {
        Spawned p = spawn("exit 4", true, PATH);
        p.stdout().close();
        p.stdout().close();
        IOException e = assertThrows(IOException.class, () -> p.stdout().read(new byte[8], 0, 8));
        assertEquals("Stream closed", e.getMessage());
        assertEquals(4, PosixSpawn.waitFor(p.pid()));
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
