package dev.gantry.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry admin restore}: offline, never over a home in use, never deleting one. */
class AdminRestoreTest {
    @TempDir
    Path dir;

    private Path backupOf(String jobName) throws Exception {
        Path zip = dir.resolve(jobName + ".zip");
        try (Store store = Store.open(dir.resolve("source-" + jobName))) {
            store.jobs().save(jobName, "pipeline { }", 0L);
            store.builds().create(jobName, Map.of(), "test");
            store.backup(zip);
        }
        return zip;
    }

    @Test
    void restoresIntoANewHome() throws Exception {
        Path zip = backupOf("api");
        Path home = dir.resolve("home");
        assertEquals(0, Main.execute("admin", "restore", zip.toString(), "--home", home.toString()));
        try (Store store = Store.open(home)) {
            assertEquals("pipeline { }", store.jobs().find("api").orElseThrow().script());
            assertEquals(1, store.builds().count("api"));
        }
    }

    @Test
    void aNonEmptyHomeNeedsForceAndIsMovedAsideNotDeleted() throws Exception {
        Path home = dir.resolve("home");
        Main.execute("admin", "restore", backupOf("old").toString(), "--home", home.toString());
        Path zip = backupOf("new");
        assertEquals(Main.USAGE, Main.execute("admin", "restore", zip.toString(), "--home", home.toString()));
        try (Store store = Store.open(home)) {
            assertTrue(store.jobs().find("old").isPresent(), "refused without --force: the home is untouched");
        }
        assertEquals(0, Main.execute("admin", "restore", zip.toString(), "--home", home.toString(), "--force"));
        try (Store store = Store.open(home)) {
            assertTrue(store.jobs().find("new").isPresent() && store.jobs().find("old").isEmpty());
        }
        try (Stream<Path> s = Files.list(dir)) {
            Path aside = s.filter(p -> p.getFileName().toString().startsWith("home.before-restore-")).findFirst().orElseThrow();
            try (Store store = Store.open(aside)) {
                assertTrue(store.jobs().find("old").isPresent(), "the previous home was kept");
            }
        }
    }

    @Test
    void aHomeInUseIsRefusedEvenWithForce() throws Exception {
        Path home = dir.resolve("home");
        Path zip = backupOf("api");
        try (Store open = Store.open(home)) {
            open.jobs().save("live", "pipeline { }", 0L);
            assertEquals(Main.USAGE, Main.execute("admin", "restore", zip.toString(), "--home", home.toString(), "--force"));
            assertTrue(open.jobs().find("live").isPresent());
        }
    }

    @Test
    void somethingThatIsNotABackupLeavesNothingBehind() throws Exception {
        Path bogus = dir.resolve("bogus.zip");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(bogus))) {
            z.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            z.write("hello".getBytes());
        }
        assertEquals(1, Main.execute("admin", "restore", bogus.toString(), "--home", dir.resolve("home").toString()));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("home")), "no partial home is left");
        }
    }
}
