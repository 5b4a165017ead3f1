package dev.gantry.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLifecycleTest {
    @TempDir
    Path temp;

    @Test
    void openCreatesTheHomeAndItsLayout() {
        Path home = temp.resolve("new/home");
        try (Store store = Store.open(home)) {
            assertEquals(home.toAbsolutePath().normalize(), store.home());
            assertTrue(Files.isRegularFile(home.resolve("db/gantry.mv.db")));
            assertTrue(Files.isDirectory(home.resolve("builds")));
        }
    }

    @Test
    void reopeningAfterCloseFindsEverything() throws Exception {
        Path home = temp.resolve("home");
        try (Store store = Store.open(home)) {
            fill(store);
        }
        try (Store store = Store.open(home)) {
            checkFilled(store);
        }
    }

    @Test
    void reopeningAfterTheProcessWasKilledFindsEverythingCommitted() throws Exception {
        Path home = temp.resolve("home");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), KilledWriter.class.getName(), home.toString())
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream in = child.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not end");
        assertEquals(137, child.exitValue(), output);
        assertTrue(output.contains("written"), output);

        try (Store store = Store.open(home)) {
            BuildRepository builds = store.builds();
            assertEquals(1, store.jobs().find("killed/job").orElseThrow().version());
            BuildRecord first = builds.find("killed/job", 1).orElseThrow();
            assertEquals(BuildStatus.COMPLETED, first.status());
            assertEquals(List.of("a.jar"), first.artifacts());
            assertEquals(List.of(new StageRow("Build", null, "SUCCESS", 10)), first.stages());
            assertEquals(List.of("killed/job#2"), builds.withStatus(BuildStatus.RUNNING).stream().map(b -> b.job() + "#" + b.number()).toList());
            assertEquals("line before the kill\n", readLog(store, "killed/job", 2, 0));
            assertEquals(3, builds.create("killed/job", Map.of(), "after restart").number());
        }
    }

    @Test
    void aHomeOpenInAnotherProcessIsRefusedWithAMessage() throws Exception {
        Path home = temp.resolve("home");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), HoldingOpener.class.getName(), home.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("open", out.readLine());
            StoreException e = assertThrows(StoreException.class, () -> Store.open(home));
            assertTrue(e.getMessage().contains("another Gantry process"), e.getMessage());
        } finally {
            child.getOutputStream().close();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not end");
        }
        assertEquals(0, child.exitValue());
        try (Store store = Store.open(home)) {
            assertTrue(store.jobs().list().isEmpty(), "the home opens once the other process is gone");
        }
    }

    @Test
    void deleteRemovesBuildsLogsAndArtifacts() throws Exception {
        Path home = temp.resolve("home");
        try (Store store = Store.open(home)) {
            store.jobs().save("doomed", "x", 0L);
            store.jobs().save("kept", "x", 0L);
            store.builds().create("doomed", Map.of(), "x");
            store.builds().create("kept", Map.of(), "x");
            try (OutputStream log = store.logs().append("doomed", 1)) {
                log.write("hello".getBytes(StandardCharsets.UTF_8));
            }
            Path artifacts = store.artifactsDir("doomed", 1);
            Files.writeString(artifacts.resolve("a.jar"), "jar");
            Path keptArtifacts = store.artifactsDir("kept", 1);
            Path jobDir = artifacts.getParent().getParent();
            assertTrue(jobDir.startsWith(home.toAbsolutePath().resolve("builds")), jobDir.toString());

            assertTrue(store.jobs().delete("doomed"));

            assertFalse(Files.exists(jobDir), jobDir + " should be gone");
            assertTrue(Files.isDirectory(keptArtifacts));
            assertTrue(store.builds().find("doomed", 1).isEmpty());
            assertEquals(0, store.builds().count("doomed"));
            assertEquals(0, store.logs().size("doomed", 1));
            assertEquals(1, store.builds().count("kept"));
            assertThrows(NoSuchElementException.class, () -> store.artifactsDir("doomed", 1));

            store.jobs().save("doomed", "x", 0L);
            assertEquals(1, store.builds().create("doomed", Map.of(), "x").number(), "a recreated job starts again at 1");
            assertEquals(0, store.logs().size("doomed", 1), "the recreated job's build 1 has a fresh log");
        }
    }

    @Test
    void directoriesOfJobsDeletedBeforeACrashAreSweptOnOpen() throws Exception {
        Path home = temp.resolve("home");
        try (Store store = Store.open(home)) {
            store.jobs().save("kept", "x", 0L);
            store.builds().create("kept", Map.of(), "x");
            store.artifactsDir("kept", 1);
        }
        Path orphan = home.resolve("builds/999/1/artifacts");
        Files.createDirectories(orphan);
        try (Store store = Store.open(home)) {
            assertFalse(Files.exists(home.resolve("builds/999")));
            assertTrue(Files.isDirectory(store.artifactsDir("kept", 1)));
        }
    }

    @Test
    void artifactsDirNeedsAnExistingBuild() throws Exception {
        try (Store store = Store.open(temp.resolve("home"))) {
            assertThrows(NoSuchElementException.class, () -> store.artifactsDir("nope", 1));
            store.jobs().save("j", "x", 0L);
            assertThrows(NoSuchElementException.class, () -> store.artifactsDir("j", 1));
            store.builds().create("j", Map.of(), "x");
            Path dir = store.artifactsDir("j", 1);
            assertTrue(Files.isDirectory(dir));
            assertEquals(dir, store.artifactsDir("j", 1));
        }
    }

    @Test
    void backupWhileRunningRestoresIntoANewHome() throws Exception {
        Path home = temp.resolve("home");
        Path zip = temp.resolve("backups/gantry.zip");
        try (Store store = Store.open(home)) {
            fill(store);
            store.backup(zip);
            store.jobs().save("after-backup", "x", 0L);
        }
        Path restored = temp.resolve("restored");
        Store.restore(zip, restored);
        try (Store store = Store.open(restored)) {
            checkFilled(store);
            assertTrue(store.jobs().find("after-backup").isEmpty());
        }
        assertThrows(FileAlreadyExistsException.class, () -> Store.restore(zip, restored));
    }

    @Test
    void restoreRefusesEntriesOutsideTheHomeAndZipsThatAreNotBackups() throws Exception {
        Path evil = temp.resolve("evil.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(evil))) {
            out.putNextEntry(new ZipEntry("../escaped"));
            out.write(1);
            out.closeEntry();
        }
        IOException e = assertThrows(IOException.class, () -> Store.restore(evil, temp.resolve("r1")));
        assertTrue(e.getMessage().contains("outside the home"), e.getMessage());
        assertFalse(Files.exists(temp.resolve("escaped")));

        Path empty = temp.resolve("empty.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(empty))) {
            out.putNextEntry(new ZipEntry("builds/1/1/log"));
            out.closeEntry();
        }
        IOException notBackup = assertThrows(IOException.class, () -> Store.restore(empty, temp.resolve("r2")));
        assertTrue(notBackup.getMessage().contains("db/gantry.mv.db"), notBackup.getMessage());
    }

    @Test
    void aClosedStoreSaysSo() {
        Store store = Store.open(temp.resolve("home"));
        store.close();
        store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.jobs().list());
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    static void fill(Store store) throws Exception {
        store.jobs().save("team-a/api", "pipeline { agent any }", 0L);
        store.jobs().save("team-a/api", "pipeline { agent none }", 1L);
        store.builds().create("team-a/api", Map.of("BRANCH", "main"), "Started by user");
        store.builds().markRunning("team-a/api", 1, Instant.parse("2026-01-01T00:00:00Z"));
        store.builds().complete("team-a/api", 1, "SUCCESS", 1000, List.of(new StageRow("Build", null, "SUCCESS", 1000)),
                Map.of("total", 1, "failed", 0, "skipped", 0, "passed", 1), List.of("app.jar"));
        store.builds().create("team-a/api", Map.of(), "Started by timer");
        try (OutputStream log = store.logs().append("team-a/api", 1)) {
            log.write("Build log\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(store.artifactsDir("team-a/api", 1).resolve("app.jar"), "jar bytes");
    }

    static void checkFilled(Store store) throws Exception {
        JobRecord job = store.jobs().find("team-a/api").orElseThrow();
        assertEquals(2, job.version());
        assertEquals("pipeline { agent none }", job.script());
        BuildRecord first = store.builds().find("team-a/api", 1).orElseThrow();
        assertEquals("SUCCESS", first.result());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), first.startedAt());
        assertEquals(Map.of("BRANCH", "main"), first.parameters());
        assertEquals(List.of(2, 1), store.builds().list("team-a/api", 0, 10).stream().map(BuildRecord::number).toList());
        assertEquals(List.of("team-a/api#2"), store.builds().withStatus(BuildStatus.QUEUED).stream().map(b -> b.job() + "#" + b.number()).toList());
        assertEquals("Build log\n", readLog(store, "team-a/api", 1, 0));
        assertEquals("jar bytes", Files.readString(store.artifactsDir("team-a/api", 1).resolve("app.jar")));
        assertEquals(3, store.builds().create("team-a/api", Map.of(), "x").number());
    }

    static String readLog(Store store, String job, int number, long offset) throws IOException {
        try (InputStream in = store.logs().read(job, number, offset)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
