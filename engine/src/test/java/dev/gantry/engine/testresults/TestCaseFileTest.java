package dev.gantry.engine.testresults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.build.TestCaseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCaseFileTest {
    @TempDir
    Path dir;

    @Test
    void casesSurviveWritingAndReadingInOrderWithTheirStage() {
        TestCaseResult failed = new TestCaseResult("s", "a.B", "fails", TestCaseResult.Status.FAILED, 0.5, "boom", "at a.B(B.java:3)");
        TestCaseResult passed = new TestCaseResult("s", "a.B", "passes", TestCaseResult.Status.PASSED, 0.1, null, null);
        TestCaseFile.write(dir, List.of(new InMemoryTestResults.Entry("Unit", failed), new InMemoryTestResults.Entry(null, passed)));
        assertEquals(List.of(new InMemoryTestResults.Entry("Unit", failed), new InMemoryTestResults.Entry(null, passed)), TestCaseFile.read(dir));
    }

    @Test
    void noCasesWriteNoFileAndAMissingFileReadsAsNone() {
        TestCaseFile.write(dir, List.of());
        assertTrue(Files.notExists(dir.resolve(TestCaseFile.NAME)));
        assertEquals(List.of(), TestCaseFile.read(dir));
    }

    @Test
    void longStackTracesAreCutAndDamagedLinesSkipped() throws Exception {
        String huge = "x".repeat(200_000);
        TestCaseFile.write(dir, List.of(new InMemoryTestResults.Entry(null,
                new TestCaseResult("s", "c", "n", TestCaseResult.Status.FAILED, 1, "m", huge))));
        Files.writeString(dir.resolve(TestCaseFile.NAME), "{not json\n", java.nio.file.StandardOpenOption.APPEND);
        List<InMemoryTestResults.Entry> read = TestCaseFile.read(dir);
        assertEquals(1, read.size());
        assertTrue(read.get(0).testCase().details().length() < 70_000);
        assertTrue(read.get(0).testCase().details().endsWith("more characters]"));
    }
}
