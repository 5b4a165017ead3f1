package dev.gantry.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildScriptRepositoryTest {
    @TempDir
    Path temp;

    @Test
    void buildsOfAnUnchangedJobShareOneStoredScript() throws Exception {
        try (Store store = Store.open(temp.resolve("home"))) {
            store.jobs().save("api", "v1", 0L);
            for (int i = 0; i < 200; i++) {
                int n = store.builds().create("api", Map.of(), "test").number();
                String script = i < 150 ? "v1" : "v2";
                assertEquals(script, store.scripts().attachIfAbsent("api", n, script).script());
            }
            assertEquals(2, store.scripts().distinctScripts());
            assertEquals("v1", store.scripts().find("api", 150).orElseThrow().script());
            assertEquals("v2", store.scripts().find("api", 151).orElseThrow().script());
        }
    }

    @Test
    void aReplayKeepsTheScriptItWasQueuedWithWhenItStarts() throws Exception {
        try (Store store = Store.open(temp.resolve("home"))) {
            store.jobs().save("api", "job script", 0L);
            int n = store.builds().create("api", Map.of(), "Replayed #1").number();
            store.scripts().attach("api", n, new BuildScript("edited", 1, null));
            BuildScript s = store.scripts().attachIfAbsent("api", n, "job script");
            assertEquals(new BuildScript("edited", 1, null), s);
            int r = store.builds().create("api", Map.of(), "Restarted").number();
            store.scripts().attach("api", r, new BuildScript("edited", n, "Deploy"));
            assertEquals(new BuildScript("edited", n, "Deploy"), store.scripts().find("api", r).orElseThrow());
            assertTrue(store.scripts().find("api", 99).isEmpty());
            assertThrows(NoSuchElementException.class, () -> store.scripts().attach("api", 99, BuildScript.of("x")));
        }
    }

    @Test
    void scriptsOfDeletedJobsAreSweptAtTheNextOpen() throws Exception {
        Path home = temp.resolve("home");
        try (Store store = Store.open(home)) {
            store.jobs().save("a", "shared", 0L);
            store.jobs().save("b", "shared", 0L);
            store.scripts().attachIfAbsent("a", store.builds().create("a", Map.of(), "t").number(), "only a");
            store.scripts().attachIfAbsent("b", store.builds().create("b", Map.of(), "t").number(), "shared");
            store.jobs().delete("a");
            assertEquals(2, store.scripts().distinctScripts());
        }
        try (Store store = Store.open(home)) {
            assertEquals(1, store.scripts().distinctScripts());
            assertEquals("shared", store.scripts().find("b", 1).orElseThrow().script());
        }
    }

    @Test
    void aStreamedBackupRestoresWithTheScripts() throws Exception {
        Path home = temp.resolve("home");
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (Store store = Store.open(home)) {
            store.jobs().save("api", "pipeline text", 0L);
            store.scripts().attachIfAbsent("api", store.builds().create("api", Map.of(), "t").number(), "pipeline text");
            store.backup(zip);
        }
        try (var files = Files.list(home)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".gantry-")), "the staged snapshot is removed");
        }
        Path file = temp.resolve("backup.zip");
        Files.write(file, zip.toByteArray());
        Store.restore(file, temp.resolve("restored"));
        try (Store store = Store.open(temp.resolve("restored"))) {
            assertEquals("pipeline text", store.scripts().find("api", 1).orElseThrow().script());
        }
    }
}
