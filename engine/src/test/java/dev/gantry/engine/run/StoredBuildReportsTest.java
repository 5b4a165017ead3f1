package dev.gantry.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.report.BuildReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A build's reports file: written at each attach, replaced by kind and name, refused when not JSON-friendly. */
class StoredBuildReportsTest {
    @TempDir
    Path dir;

    @Test
    void eachAttachIsOnDiskAndAReportOfTheSameKindAndNameIsReplacedInItsPlace() {
        StoredBuildReports reports = StoredBuildReports.open(dir);
        reports.attach(new BuildReport("k:a", "one", Map.of("n", 1), List.of(1, 2.5, "x", true)));
        assertTrue(Files.isRegularFile(dir.resolve(StoredBuildReports.FILE)));
        reports.attach(new BuildReport("k:a", "two", null, null));
        List<Object> changed = new ArrayList<>(List.of("y"));
        reports.attach(new BuildReport("k:a", "one", Map.of("n", 2), changed));
        changed.add("after");

        List<BuildReport> read = StoredBuildReports.read(dir);
        assertEquals(List.of("one", "two"), read.stream().map(BuildReport::name).toList());
        assertEquals(Map.of("n", 2), read.get(0).summary());
        assertEquals(List.of("y"), read.get(0).data(), "the report is copied when attached");
        assertEquals(read, StoredBuildReports.open(dir).list(), "a resumed build starts from what was stored");
    }

    @Test
    void valuesThatAreNotJsonAreRefusedNamingWhere() {
        StoredBuildReports reports = StoredBuildReports.open(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reports.attach(
                new BuildReport("k:a", "r", Map.of(), Map.of("files", List.of("a", Map.of("path", dir))))));
        assertTrue(e.getMessage().startsWith("the report k:a/r has a ") && e.getMessage().contains(" at data.files[1].path: a report holds only"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> reports.attach(new BuildReport("k:a", "r", Map.of("ratio", Double.NaN), null)));
        assertTrue(e.getMessage().contains("has NaN at summary.ratio"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> reports.attach(new BuildReport("k:a", "a/b", Map.of(), null)));
        assertTrue(e.getMessage().contains("a report's name must be 1 to 200 characters without '/'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> reports.attach(new BuildReport("k:a", "big", Map.of(), "x".repeat(2 * 1024 * 1024))));
        assertTrue(e.getMessage().contains("more than the 1048576 a report may"), e.getMessage());
        assertEquals(List.of(), reports.list());
        assertEquals(List.of(), StoredBuildReports.read(dir));
    }
}
