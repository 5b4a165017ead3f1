package dev.gantry.plugins.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gantry.api.Result;
import dev.gantry.testkit.PluginTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteChecksumStepTest {
    private static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @Test
    void writesTheChecksumBesideTheFileAndReturnsIt(@TempDir Path ws) throws Exception {
        Files.writeString(ws.resolve("a.txt"), "hello");
        PluginTestKit.TestRun run = PluginTestKit.create().workspace(ws)
                .run("node { def sum = writeChecksum 'a.txt'\n echo \"returned ${sum}\" }")
                .assertSuccess()
                .assertLogContains("SHA-256 of a.txt: " + HELLO_SHA256 + " (written to a.txt.sha256)")
                .assertLogContains("returned " + HELLO_SHA256);
        assertEquals(HELLO_SHA256 + "  a.txt\n", run.file("a.txt.sha256"));
    }

    @Test
    void aMissingFileFailsTheBuildWithItsName(@TempDir Path ws) {
        PluginTestKit.create().workspace(ws).run("node { writeChecksum file: 'nope.txt', to: 'sums/nope' }")
                .assertResult(Result.FAILURE)
                .assertLogContains("writeChecksum: there is no file 'nope.txt' in " + ws.toAbsolutePath());
    }

    @Test
    void theLinterKnowsTheStep() {
        AssertionError e = assertThrows(AssertionError.class, () -> PluginTestKit.create().run("node { writeChecksum fil: 'x' }"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("writeChecksum"), e.getMessage());
    }
}
