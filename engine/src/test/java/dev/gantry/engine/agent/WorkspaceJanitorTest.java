package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceJanitorTest {
    @TempDir
    Path dir;

    @Test
    void workspacesUnusedLongerThanTheRetentionGoUnlessInUseOrOutsideTheWorkDirectory() throws Exception {
        Path work = dir.resolve("work");
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        for (String ws : new String[] {"workspace/old", "workspace/old@tmp", "workspace/busy", "workspace/fresh"}) {
            Files.createDirectories(work.resolve(ws));
            Files.writeString(work.resolve(ws).resolve("f.txt"), "x");
        }
        long tenDaysAgo = System.currentTimeMillis() - Duration.ofDays(10).toMillis();
        Files.writeString(work.resolve("workspaces-last-used.properties"), "workspace/old=" + tenDaysAgo + "\nworkspace/busy=" + tenDaysAgo
                + "\n" + outside.toString().replace(":", "\\:") + "=" + tenDaysAgo + "\n");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        WorkspaceJanitor j = new WorkspaceJanitor(work, Duration.ofDays(7), "a1", new PrintStream(log, true, StandardCharsets.UTF_8));
        j.used("workspace/fresh");

        assertEquals(1, j.sweep(Set.of("workspace/busy")));
        assertFalse(Files.exists(work.resolve("workspace/old")) || Files.exists(work.resolve("workspace/old@tmp")));
        assertTrue(Files.exists(work.resolve("workspace/busy/f.txt")), "a workspace a task runs in stays");
        assertTrue(Files.exists(work.resolve("workspace/fresh/f.txt")));
        assertTrue(Files.isDirectory(outside), "nothing outside the work directory is ever deleted");
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("gantry agent a1: deleted workspace " + work.resolve("workspace/old") + ": unused since "), text);

        // The record survives a restart: the busy workspace, free now, goes on the next sweep.
        WorkspaceJanitor again = new WorkspaceJanitor(work, Duration.ofDays(7), "a1", new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(1, again.sweep(Set.of()));
        assertFalse(Files.exists(work.resolve("workspace/busy")));
        assertTrue(Files.exists(work.resolve("workspace/fresh/f.txt")));
    }

    @Test
    void retentionPeriodsAreWrittenWithAUnit() {
        assertEquals(Duration.ofDays(7), WorkspaceJanitor.parse("7d"));
        assertEquals(Duration.ofMinutes(90), WorkspaceJanitor.parse("1.5h"));
        assertEquals(Duration.ofSeconds(30), WorkspaceJanitor.parse("30s"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkspaceJanitor.parse("7"));
        assertEquals("'7' is not a retention period; write it like 7d, 12h, 30m or 90s", e.getMessage());
    }
}
