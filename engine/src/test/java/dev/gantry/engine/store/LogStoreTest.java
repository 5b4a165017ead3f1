package dev.gantry.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogStoreTest {
    @TempDir
    Path home;
    Store store;
    LogStore logs;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(home);
        logs = store.logs();
        store.jobs().save("j", "x", 0L);
        store.builds().create("j", Map.of(), "x");
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aBuildWithoutALogIsEmpty() throws Exception {
        assertEquals(0, logs.size("j", 1));
        assertEquals("", StoreLifecycleTest.readLog(store, "j", 1, 0));
        assertEquals(0, logs.size("no such job", 1));
        assertEquals("", StoreLifecycleTest.readLog(store, "no such job", 1, 0));
    }

    @Test
    void appendingNeedsAnExistingBuild() {
        assertThrows(NoSuchElementException.class, () -> logs.append("j", 2));
        assertThrows(NoSuchElementException.class, () -> logs.append("nope", 1));
    }

    @Test
    void logLivesUnderTheJobIdNotItsName() throws Exception {
        store.jobs().save("../../escape", "x", 0L);
        store.builds().create("../../escape", Map.of(), "x");
        try (OutputStream out = logs.append("../../escape", 1)) {
            out.write('x');
        }
        try (var files = Files.walk(home)) {
            Path log = files.filter(p -> p.getFileName().toString().equals("log")).findFirst().orElseThrow();
            assertTrue(log.toAbsolutePath().startsWith(home.toAbsolutePath().resolve("builds")), log.toString());
            assertTrue(home.relativize(log).toString().matches("builds/\\d+/1/log"), log.toString());
        }
    }

    @Test
    void bytesAreVisibleAfterFlushAndReadableFromAnOffset() throws Exception {
        try (OutputStream out = logs.append("j", 1)) {
            out.write("hello ".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals(6, logs.size("j", 1));
            out.write("wörld\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals("hello wörld\n", StoreLifecycleTest.readLog(store, "j", 1, 0));
            assertEquals("wörld\n", StoreLifecycleTest.readLog(store, "j", 1, 6));
            assertEquals("", StoreLifecycleTest.readLog(store, "j", 1, 1000));
        }
        try (OutputStream out = logs.append("j", 1)) {
            out.write("more\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("hello wörld\nmore\n", StoreLifecycleTest.readLog(store, "j", 1, 0), "append keeps what was there");
        assertThrows(IllegalArgumentException.class, () -> logs.read("j", 1, -1));
    }

    @Test
    void oneWriterPerBuildAtATime() throws Exception {
        OutputStream first = logs.append("j", 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> logs.append("j", 1));
        assertTrue(e.getMessage().contains("j #1"), e.getMessage());
        first.close();
        first.close();
        logs.append("j", 1).close();
    }

    @Test
    void aReaderFollowsAWriterThatIsStillAppending() throws Exception {
        byte[] line = "0123456789abcdefghijklmnopqrstuvwxyz\n".getBytes(StandardCharsets.US_ASCII);
        int lines = 20_000;
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = logs.append("j", 1)) {
                for (int i = 0; i < lines; i++) {
                    out.write(line);
                    if (i % 100 == 0) {
                        out.flush();
                    }
                }
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        long offset = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int reads = 0;
        while (offset < (long) line.length * lines) {
            assertTrue(System.nanoTime() < deadline, "reader stuck at offset " + offset);
            try (InputStream in = logs.read("j", 1, offset)) {
                byte[] chunk = in.readAllBytes();
                seen.write(chunk);
                offset += chunk.length;
            }
            reads++;
            if (writer.isCompletedExceptionally()) {
                writer.join();
            }
        }
        writer.get(60, TimeUnit.SECONDS);
        byte[] expected = new byte[line.length * lines];
        for (int i = 0; i < lines; i++) {
            System.arraycopy(line, 0, expected, i * line.length, line.length);
        }
        assertArrayEquals(expected, seen.toByteArray(), "after " + reads + " reads");
        assertEquals(expected.length, logs.size("j", 1));
    }

    @Test
    void aFiftyMegabyteLogDoesNotGrowTheDatabase() throws Exception {
        Path db = home.resolve("db/gantry.mv.db");
        long before = Files.size(db);
        byte[] chunk = new byte[1024 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        try (OutputStream out = logs.append("j", 1)) {
            for (int i = 0; i < 50; i++) {
                out.write(chunk);
            }
        }
        assertEquals(50L * chunk.length, logs.size("j", 1));
        try (InputStream in = logs.read("j", 1, 50L * chunk.length - 3)) {
            assertEquals("xxx", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        store.close();
        store = Store.open(home);
        long after = Files.size(db);
        assertTrue(after < before + 1024 * 1024, "database grew from " + before + " to " + after + " bytes");
    }
}
