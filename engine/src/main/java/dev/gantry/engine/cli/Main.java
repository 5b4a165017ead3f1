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
        CommandLine cl = commandLine(args);
        cl.setExitCodeExceptionMapper(e -> USAGE);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("gantry: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try 'gantry " + (ex.getCommandLine() == cl ? "" : ex.getCommandLine().getCommandName() + " ") + "--help'.");
            return USAGE;
        });
        return cl.execute(args);
    }

    /**
     * The command line for {@code args}. picocli reads the annotations of every subcommand when it
     * builds the tree (~0.1-0.2 s of reflection for twenty commands); the long-running commands,
     * whose start-up is measured, get a tree with only their own, under the same root name, so
     * their usage, help and errors read the same.
     */
    static CommandLine commandLine(String... args) {
        java.util.function.Supplier<Object> only = args.length == 0 ? null : switch (args[0]) {
            case "server" -> ServerCommand::new;
            case "agent" -> AgentCommand::new;
            default -> null;
        };
        if (only == null) {
            return new CommandLine(new Main());
        }
        CommandLine root = new CommandLine(CommandLine.Model.CommandSpec.create().name("gantry"));
        root.addSubcommand(args[0], only.get());
        return root;
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
