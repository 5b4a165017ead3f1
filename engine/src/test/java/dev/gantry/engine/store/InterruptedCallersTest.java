package dev.gantry.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threads that call the store get interrupted (aborted builds, stopped helpers). An interrupt
 * arriving during a database or log write must fail at most that call: never close the database
 * or the log for everyone else, as an interrupted NIO file channel would.
 */
class InterruptedCallersTest {
    @TempDir
    Path home;

    @Test
    void interruptsDuringDatabaseAndLogWritesLeaveTheStoreWorking() throws Exception {
        try (Store store = Store.open(home)) {
            store.jobs().save("job", "node { }", null);
            BuildRecord b = store.builds().create("job", Map.of(), "test");
            store.builds().markRunning("job", b.number(), java.time.Instant.now());
            AtomicInteger writes = new AtomicInteger();
            try (OutputStream log = store.logs().append("job", b.number())) {
                Thread writer = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 2000; i++) {
                        try {
                            store.builds().updateStages("job", b.number(), List.of(new StageRow("S" + i, null, null, i)));
                            log.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                            writes.incrementAndGet();
                        } catch (Exception e) {
                            // this call may fail; the store must not
                        }
                        Thread.interrupted();
                    }
                });
                while (writer.isAlive()) {
                    writer.interrupt();
                    Thread.onSpinWait();
                }
                log.flush();
            }
            store.builds().complete("job", b.number(), "SUCCESS", 1, List.of(), Map.of(), List.of());
            assertEquals(BuildStatus.COMPLETED, store.builds().find("job", b.number()).orElseThrow().status());
            assertTrue(writes.get() > 0);
            assertTrue(store.logs().size("job", b.number()) > 0);
            store.jobs().save("another", "node { }", null);
            assertEquals(2, store.jobs().list().size());
        }
    }
}
