package dev.gantry.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/gantry}: wires the subcommands; each does its own work. Exit codes:
 * 0 success, 1 build failure, 2 invalid pipeline or usage, 3 unstable, 4 aborted.
 */
@Command(name = "gantry", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Gantry: runs Jenkinsfile pipelines, locally or on a controller with agents.",
        subcommands = {RunCommand.class, LintCommand.class, StepsCommand.class, ServerCommand.class,
                ClientCommands.Job.class, ClientCommands.Build.class, ClientCommands.Log.class, ClientCommands.Stop.class,
                AgentCommand.class, AgentAdminCommands.Admin.class,
                BuildActionCommands.Replay.class, BuildActionCommands.Restart.class, BuildActionCommands.Input.class,
                AdminCommands.Admin.class,
                PluginCommands.Plugin.class,
                FolderCommands.Folder.class, FolderCommands.Queue.class, CredentialCommands.Credentials.class,
                SecurityCommands.Token.class, SecurityCommands.User.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:build failed", "2:invalid pipeline or usage", "3:build unstable", "4:build aborted"})
public final class Main implements Runnable {
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        dev.gantry.engine.server.StartupTrace.mark("main");
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (for tests and embedding). */
    public static int execute(String... args) {
        // picocli would load groovy.lang.Closure (for closures in annotations, which Gantry does not
        // use), and initialising it starts Groovy's whole runtime: ~0.3 s of every command's start.
        System.setProperty("picocli.disable.closures", "true");
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(e -> USAGE);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("gantry: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try 'gantry " + (ex.getCommandLine() == cl ? "" : ex.getCommandLine().getCommandName() + " ") + "--help'.");
            return USAGE;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (run, lint, steps, help)");
    }

    /** The version from the jar's manifest, or "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"gantry " + (v == null ? "development" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
