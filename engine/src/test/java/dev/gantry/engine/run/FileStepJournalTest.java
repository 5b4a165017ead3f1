package dev.gantry.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.step.StepFailedException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.runtime.GStringImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal file: what it keeps across a reopen, what it refuses, and a record cut short by a crash. */
class FileStepJournalTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("journal");
    }

    @Test
    void outcomesSurviveAReopenWithTheirTypes() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("long", 5L);
        value.put("int", 7);
        value.put("decimal", new BigDecimal("1.50"));
        value.put("list", List.of("a", true, 2.5));
        value.put("@t", "a key the encoding uses");
        value.put("text", new GStringImpl(new Object[] {"x"}, new String[] {"a", "b"}));
        try (FileStepJournal j = FileStepJournal.open(file(), false)) {
            j.record("0", StepJournal.StepOutcome.success("readThing", value));
            j.record("1", new StepJournal.StepOutcome("sh", null, "dev.gantry.api.step.StepFailedException", "script returned exit code 2", null));
            j.record("0", StepJournal.StepOutcome.success("other", "ignored: the first record of an id wins"));
        }
        try (FileStepJournal j = FileStepJournal.open(file(), false)) {
            StepJournal.StepOutcome o = j.lookup("0").orElseThrow();
            assertEquals("readThing", o.stepName());
            @SuppressWarnings("unchecked")
            Map<String, Object> back = (Map<String, Object>) o.value();
            assertEquals(5L, back.get("long"));
            assertEquals(7, back.get("int"));
            assertEquals(new BigDecimal("1.50"), back.get("decimal"));
            assertEquals(List.of("a", true, 2.5), back.get("list"));
            assertEquals("a key the encoding uses", back.get("@t"));
            assertEquals("axb", back.get("text"));
            StepJournal.StepOutcome failed = j.lookup("1").orElseThrow();
            assertTrue(failed.failed());
            assertEquals("script returned exit code 2", failed.failureMessage());
            assertEquals(2, j.size());
        }
    }

    @Test
    void aLaunchSurvivesAReopenLeavesDeferredRecordsDeferredAndIsNotWrittenOnceSealed() throws Exception {
        try (FileStepJournal j = FileStepJournal.open(file(), false)) {
            j.record("0", StepJournal.StepOutcome.success("echo", null), true);
            long before = Files.size(file());
            j.recordLaunch("s-1", new StepJournal.Launch("linux-1", "instance-a"));
            j.recordLaunch("s-1", new StepJournal.Launch("linux-1", "instance-a"));
            assertEquals(List.of("{\"k\":\"launch\",\"task\":\"s-1\",\"node\":\"linux-1\",\"inst\":\"instance-a\"}"),
                    Files.readString(file()).substring((int) before).lines().toList(), "one line, the deferred echo still waiting");
            j.recordLaunch("s-2", new StepJournal.Launch("linux-2", null));
            j.seal();
            j.recordLaunch("s-3", new StepJournal.Launch("linux-1", "instance-a"));
        }
        try (FileStepJournal j = FileStepJournal.open(file(), false)) {
            assertEquals(new StepJournal.Launch("linux-1", "instance-a"), j.launch("s-1").orElseThrow());
            assertEquals(new StepJournal.Launch("linux-2", null), j.launch("s-2").orElseThrow());
            assertTrue(j.launch("s-3").isEmpty(), "sealed: the build is being suspended");
            assertTrue(j.lookup("0").isPresent(), "the deferred record went out with the seal");
        }
    }

    @Test
    void aValueThatCannotBeJournaledFailsNamingTheStepAndWhere() throws Exception {
        try (FileStepJournal j = FileStepJournal.open(file(), false)) {
            StepFailedException e = assertThrows(StepFailedException.class,
                    () -> j.record("0", StepJournal.StepOutcome.success("findThings", Map.of("files", List.of(new Object())))));
            assertTrue(e.getMessage().startsWith("Step 'findThings' returned a value the journal cannot keep: the value['files'][0]"
                    + " cannot be journaled because it is a java.lang.Object."), e.getMessage());
            assertTrue(j.lookup("0").isEmpty());
        }
        assertThrows(StepFailedException.class, () -> new InMemoryStepJournal().record("0", StepJournal.StepOutcome.success("x", new Object())),
                "a local run refuses what a controller's journal would");
    }

    @Test
    void aRecordCutShortByACrashIsIgnoredAndCutOff() throws Exception {
        try (FileStepJournal j = FileStepJournal.open(file(), false)) {
            j.record("0", StepJournal.StepOutcome.success("echo", null));
            j.record("1", StepJournal.StepOutcome.success("sh", "out"));
        }
        long whole = Files.size(file());
        Files.writeString(file(), "{\"k\":\"step\",\"id\":\"2\",\"st", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (FileStepJournal j = FileStepJournal.open(file(), false)) {
            assertEquals(whole, Files.size(file()), "the partial record is cut off");
            assertEquals("out", j.lookup("1").orElseThrow().value());
            assertTrue(j.lookup("2").isEmpty());
            j.record("2", StepJournal.StepOutcome.success("sh", "again"));
        }
        try (FileStepJournal j = FileStepJournal.open(file(), false)) {
            assertEquals("again", j.lookup("2").orElseThrow().value());
        }
    }

    @Test
    void firstStartsMarksAndDisableResumeAreKept() throws Exception {
        long first;
        try (FileStepJournal j = FileStepJournal.open(file(), true)) {
            j.checkpoint(new FileStepJournal.Checkpoint() {
                @Override
                public FileStepJournal.LogMark mark() {
                    return new FileStepJournal.LogMark(100, 40, Map.of("b:", 3L));
                }

                @Override
                public void forget(String recordedId) {
                }
            });
            first = j.firstStartMillis("4");
            j.record("4", StepJournal.StepOutcome.success("sleep", null));
            j.disableResume();
        }
        try (FileStepJournal j = FileStepJournal.open(file(), false)) {
            assertEquals(first, j.firstStartMillis("4"));
            assertEquals(new FileStepJournal.LogMark(100, 40, Map.of("b:", 3L)), j.lastMark());
            assertTrue(j.resumeDisabled());
        }
    }

    @Test
    void deferredRecordsGoOutWithTheNextWrittenOneOrWhenClosed() throws Exception {
        try (FileStepJournal j = FileStepJournal.open(file(), false)) {
            j.record("0", StepJournal.StepOutcome.success("echo", null), true);
            j.record("1", StepJournal.StepOutcome.success("echo", null), true);
            assertEquals(0, Files.size(file()), "deferred: not written yet");
            assertTrue(j.lookup("1").isPresent(), "but already answered");
            j.record("2", StepJournal.StepOutcome.success("sh", 0));
            long written = Files.size(file());
            assertTrue(written > 0);
            Files.copy(file(), dir.resolve("copy"));
            try (FileStepJournal copy = FileStepJournal.open(dir.resolve("copy"), false)) {
                assertEquals(3, copy.size(), "the deferred records went out with the next one");
            }
            j.record("3[\"a\\b\"]/0", StepJournal.StepOutcome.success("echo", null), true);
            assertEquals(written, Files.size(file()));
        }
        try (FileStepJournal j = FileStepJournal.open(file(), false)) {
            assertEquals("echo", j.lookup("3[\"a\\b\"]/0").orElseThrow().stepName(), "closing writes what was deferred");
        }
    }

    @Test
    void aSealedJournalTakesNothingMore() throws Exception {
        try (FileStepJournal j = FileStepJournal.open(file(), false)) {
            j.seal();
            j.record("0", StepJournal.StepOutcome.success("sh", null));
        }
        try (FileStepJournal j = FileStepJournal.open(file(), false)) {
            assertTrue(j.lookup("0").isEmpty());
        }
    }
}
