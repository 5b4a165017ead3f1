package dev.gantry.engine.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RunCommandTest {
    private static boolean mentions(String text) {
        return RunCommand.mentionsSh(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPipelineCallingShIsSeenToLaunchProcesses() {
        assertTrue(mentions("node { sh 'make' }"));
        assertTrue(mentions("sh(script: 'x', returnStdout: true)"));
        assertTrue(mentions("steps {\n    sh\"\"\"ls\"\"\"\n}"));
        assertTrue(mentions("sh"));
    }

    @Test
    void wordsContainingShDoNotCount() {
        assertFalse(mentions("node { echo 'push the shell, fish' }"));
        assertFalse(mentions("def sh_x = 1; def xsh = 2; def $sh = 3"));
        assertFalse(mentions("echo 'ésh'"));
        assertFalse(mentions(""));
    }
}
