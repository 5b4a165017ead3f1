package dev.gantry.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The short command tree of the long-running commands reads exactly as the full one. */
class MainCommandLineTest {
    @Test
    void serverAndAgentHaveTheSameUsageInTheirShortTree() {
        CommandLine full = new CommandLine(new Main());
        for (String command : new String[] {"server", "agent"}) {
            CommandLine shortTree = Main.commandLine(command, "--help");
            assertEquals(1, shortTree.getSubcommands().size(), "only " + command + " is built");
            assertEquals(full.getSubcommands().get(command).getUsageMessage(CommandLine.Help.Ansi.OFF),
                    shortTree.getSubcommands().get(command).getUsageMessage(CommandLine.Help.Ansi.OFF));
            assertEquals("gantry " + command, shortTree.getSubcommands().get(command).getCommandSpec().qualifiedName());
        }
        assertEquals(full.getSubcommands().keySet(), Main.commandLine("run").getSubcommands().keySet(), "other commands get the full tree");
    }

    @Test
    void aWrongOptionIsAUsageErrorInTheShortTree() {
        assertEquals(Main.USAGE, Main.execute("server", "--no-such-option"));
        assertEquals(Main.USAGE, Main.execute("agent", "--no-such-option"));
        assertEquals(0, Main.execute("server", "--help"));
    }
}
