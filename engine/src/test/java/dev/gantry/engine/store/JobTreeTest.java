package dev.gantry.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.jobs.JobOptions;
import dev.gantry.engine.jobs.JobSettings;
import dev.gantry.engine.jobs.JobSpec;
import dev.gantry.engine.jobs.LogRotator;
import dev.gantry.engine.jobs.ParameterDefinition;
import dev.gantry.engine.jobs.ScmSource;
import dev.gantry.engine.store.JobRepository.JobWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobTreeTest {
    @TempDir
    Path home;
    Store store;
    JobRepository jobs;

    @BeforeEach
    void open() {
        store = Store.open(home);
        jobs = store.jobs();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static JobWrite write(String name, Long expected) {
        return new JobWrite(name, "node { }", JobSpec.EMPTY, JobSettings.NONE, expected);
    }

    @Test
    void specAndSettingsRoundTrip() throws Exception {
        JobSpec spec = new JobSpec("the api", new ScmSource("https://example.com/x.git", "main", "ci/Jenkinsfile"),
                List.of(new ParameterDefinition("booleanParam", "B", true, "flag", List.of(), false),
                        new ParameterDefinition("choice", "C", null, null, List.of("x", "y"), false)),
                new JobOptions(5, true, true, new LogRotator(1, 2, 3, 4)));
        JobSettings settings = new JobSettings(spec.parameters(), spec.options());
        JobRecord saved = jobs.saveAll(List.of(new JobWrite("team/api", "", spec, settings, 0L))).get(0);
        assertEquals(spec, saved.spec());
        assertEquals(settings, saved.settings());
        assertEquals(saved, jobs.find("team/api").orElseThrow());
    }

    @Test
    void savingAJobCreatesItsFoldersAndListsThemAsChildren() throws Exception {
        jobs.save("team-a/services/api", "x", null);
        jobs.save("team-a/web", "x", null);
        jobs.save("top", "x", null);
        assertTrue(jobs.folder("team-a").isPresent());
        assertTrue(jobs.folder("team-a/services").isPresent());
        JobRepository.Children root = jobs.children("");
        assertEquals(List.of("team-a"), root.folders().stream().map(Folder::name).toList());
        assertEquals(List.of("top"), root.jobs().stream().map(JobRecord::name).toList());
        JobRepository.Children a = jobs.children("team-a");
        assertEquals(List.of("team-a/services"), a.folders().stream().map(Folder::name).toList());
        assertEquals(List.of("team-a/web"), a.jobs().stream().map(JobRecord::name).toList());
    }

    @Test
    void aNameIsAJobOrAFolderNeverBoth() throws Exception {
        jobs.save("solo", "x", null);
        JobTreeConflictException e = assertThrows(JobTreeConflictException.class, () -> jobs.save("solo/inner", "x", null));
        assertTrue(e.getMessage().contains("'solo' is a job"), e.getMessage());
        jobs.save("dir/job", "x", null);
        e = assertThrows(JobTreeConflictException.class, () -> jobs.save("dir", "x", null));
        assertTrue(e.getMessage().contains("'dir' is a folder"), e.getMessage());
        assertThrows(JobTreeConflictException.class, () -> jobs.saveFolder("solo", null));
        assertTrue(jobs.find("solo/inner").isEmpty() && jobs.find("dir").isEmpty());
    }

    @Test
    void saveAllIsAllOrNothing() throws Exception {
        jobs.save("b", "old", null);
        assertThrows(StaleVersionException.class, () -> jobs.saveAll(List.of(write("a/new", 0L), write("b", 7L))));
        assertTrue(jobs.find("a/new").isEmpty());
        assertTrue(jobs.folder("a").isEmpty(), "the folder of the rolled-back job is rolled back too");
        assertEquals("old", jobs.find("b").orElseThrow().script());
        List<JobRecord> saved = jobs.saveAll(List.of(write("a/new", 0L), write("b", 1L)));
        assertEquals(List.of(1L, 2L), saved.stream().map(JobRecord::version).toList());
    }

    @Test
    void foldersAreCreatedExplicitlyAndDescribed() {
        Folder f = jobs.saveFolder("x/y", "why");
        assertEquals("why", f.description());
        assertTrue(jobs.folder("x").isPresent());
        assertEquals("why", jobs.saveFolder("x/y", null).description());
        assertEquals("now", jobs.saveFolder("x/y", "now").description());
    }

    @Test
    void deletingAFolderNeedsRecursiveWhenItHoldsJobsAndRemovesTheirFiles() throws Exception {
        jobs.save("t/a", "x", null);
        jobs.save("t/sub/b", "x", null);
        jobs.save("t-other", "x", null);
        BuildRecord b = store.builds().create("t/a", Map.of(), "test");
        Path artifacts = store.artifactsDir("t/a", b.number());
        Files.writeString(artifacts.resolve("f.txt"), "x");
        JobTreeConflictException e = assertThrows(JobTreeConflictException.class, () -> jobs.deleteFolder("t", false));
        assertTrue(e.getMessage().contains("2 job(s)"), e.getMessage());
        assertEquals(List.of("t/a", "t/sub/b"), jobs.deleteFolder("t", true));
        assertFalse(Files.exists(artifacts));
        assertTrue(jobs.find("t/a").isEmpty() && jobs.folder("t/sub").isEmpty() && jobs.folder("t").isEmpty());
        assertTrue(jobs.find("t-other").isPresent());
        assertThrows(NoSuchElementException.class, () -> jobs.deleteFolder("t", true));
        jobs.saveFolder("empty", null);
        assertEquals(List.of(), jobs.deleteFolder("empty", false));
    }

    @Test
    void folderNamesWithLikeWildcardsMatchOnlyThemselves() throws Exception {
        jobs.save("a_b/j", "x", null);
        jobs.save("axb/j", "x", null);
        assertEquals(List.of("a_b/j"), jobs.deleteFolder("a_b", true));
        assertTrue(jobs.find("axb/j").isPresent());
    }

    @Test
    void completedBuildsAndTheirArtifactsCanBeDeleted() throws Exception {
        jobs.save("j", "x", null);
        BuildRecord b = store.builds().create("j", Map.of(), "test");
        assertFalse(store.builds().delete("j", b.number()), "a queued build is never deleted");
        store.builds().markRunning("j", b.number(), java.time.Instant.now());
        Path artifacts = store.artifactsDir("j", b.number());
        Files.writeString(artifacts.resolve("f.txt"), "x");
        try (var log = store.logs().append("j", b.number())) {
            log.write("hello".getBytes());
        }
        store.builds().complete("j", b.number(), "SUCCESS", 1, List.of(), Map.of(), List.of("f.txt"));
        assertTrue(store.builds().deleteArtifacts("j", b.number()));
        assertFalse(Files.exists(artifacts));
        assertEquals(List.of(), store.builds().find("j", b.number()).orElseThrow().artifacts());
        assertEquals(5, store.logs().size("j", b.number()));
        assertTrue(store.builds().delete("j", b.number()));
        assertTrue(store.builds().find("j", b.number()).isEmpty());
        assertEquals(0, store.logs().size("j", b.number()));
        assertFalse(store.builds().delete("j", b.number()));
    }

    @Test
    void migrationGivesExistingJobsTheirFolders() throws Exception {
        store.close();
        Path old = home.resolve("old");
        Files.createDirectories(old.resolve("db"));
        String url = "jdbc:h2:" + old.resolve("db").resolve("gantry");
        Flyway.configure().dataSource(url, "gantry", "").locations("classpath:db/migration").target("1").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "gantry", ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO jobs (name, script, version, created, updated) VALUES ('a/b/c', 'x', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),"
                    + " ('a/d', 'x', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), ('e', 'x', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        store = Store.open(old);
        jobs = store.jobs();
        assertTrue(jobs.folder("a").isPresent() && jobs.folder("a/b").isPresent());
        assertTrue(jobs.folder("e").isEmpty());
        assertEquals(JobSpec.EMPTY, jobs.find("a/d").orElseThrow().spec());
        assertEquals(JobSettings.NONE, jobs.find("a/d").orElseThrow().settings());
    }
}
