package dev.gantry.plugins.checksum;

import dev.gantry.api.Result;
import dev.gantry.testkit.PluginTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeChecksumStepTest {
    private static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @Test
    void theTaskDigestsTheFileOnTheNodeAndTheStepReturnsIt(@TempDir Path ws) throws Exception {
        Files.writeString(ws.resolve("a.txt"), "hello");
        PluginTestKit.create().workspace(ws)
                .run("node { def sum = nodeChecksum 'a.txt'\n echo \"returned ${sum}\" }")
                .assertSuccess()
                .assertLogContains("SHA-256 of a.txt computed on ")
                .assertLogContains(": " + HELLO_SHA256)
                .assertLogContains("returned " + HELLO_SHA256);
    }

    @Test
    void aMissingFileFailsTheStepWithTheTasksMessage(@TempDir Path ws) {
        PluginTestKit.create().workspace(ws).run("node { nodeChecksum 'nope.txt' }")
                .assertResult(Result.FAILURE)
                .assertLogContains("nodeChecksum: there is no file 'nope.txt' in " + ws.toAbsolutePath());
    }
}
