package dev.gantry.engine.cli;

import dev.gantry.engine.agent.AgentProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gantry agent}: runs this machine as an agent of a controller until SIGTERM or Ctrl-C,
 * which cancel its running tasks. Exit code 2 when the controller refuses it.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Runs this machine as an agent: connects out to the controller and runs the work it is given.",
                "Create the agent first with gantry agent-admin create NAME, which prints its secret."})
final class AgentCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, paramLabel = "URL", description = "The controller (http://host:8080/ or https://...).")
    String url;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The agent's name, as created on the controller.")
    String name;

    @Option(names = "--secret", paramLabel = "SECRET", defaultValue = "${env:GANTRY_AGENT_SECRET}",
            description = "The agent's secret (default: $GANTRY_AGENT_SECRET); prefer --secret-file, which keeps it out of ps.")
    String secret;

    @Option(names = "--secret-file", paramLabel = "FILE", description = "A file holding the agent's secret.")
    Path secretFile;

    @Option(names = "--labels", split = ",", paramLabel = "LABEL", description = "Labels besides those it was created with, comma-separated.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--executors", paramLabel = "N", description = "Executors, instead of the number it was created with.")
    Integer executors;

    @Option(names = "--workdir", paramLabel = "DIR", defaultValue = ".", description = "Where workspaces live (default: the current directory).")
    Path workdir;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "A CA certificate (PEM) to trust for an https controller URL.")
    Path caCert;

    @Option(names = "--max-backoff", paramLabel = "SECONDS", defaultValue = "10",
            description = "The longest pause between attempts to reach the controller (default 10).")
    int maxBackoff;

    @Option(names = "--workspace-retention", paramLabel = "PERIOD",
            description = "Delete workspaces no build used for this long (7d, 12h, 30m, 90s); default: keep them.")
    String workspaceRetention;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String s = secret;
        if (secretFile != null) {
            s = Files.readString(secretFile).trim();
        }
        if (s == null || s.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the agent's secret is required: --secret-file FILE, --secret or $GANTRY_AGENT_SECRET");
        }
        if (executors != null && executors < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--executors must be at least 1, got " + executors);
        }
        AgentProcess agent = new AgentProcess(new AgentProcess.Config(url, name, s, labels, executors, workdir, caCert,
                Duration.ofSeconds(Math.max(1, maxBackoff))), System.out);
        if (workspaceRetention != null) {
            try {
                agent.workspaceRetention(AgentProcess.parseRetention(workspaceRetention));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--workspace-retention: " + e.getMessage());
            }
        }
        Thread hook = new Thread(agent::stop, "gantry-agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return agent.run();
    }
}
