package dev.gantry.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry agent-admin create|list|delete}: manages a controller's agents over its REST API. */
final class AgentAdminCommands {
    private AgentAdminCommands() {
    }

    @Command(name = "agent-admin", mixinStandardHelpOptions = true, description = "Manages the agents of a controller.",
            subcommands = {Create.class, ListAgents.class, Delete.class})
    static final class Admin implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "an agent-admin command is required (create, list, delete)");
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Registers an agent and prints its secret (shown once: keep it, for gantry agent --secret-file)."})
    static final class Create extends ClientCommands.Remote {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--labels", split = ",", paramLabel = "LABEL", description = "Its labels, comma-separated.")
        List<String> labels = new ArrayList<>();

        @Option(names = "--executors", paramLabel = "N", defaultValue = "1", description = "Its executors (default 1).")
        int executors;

        @Override
        int execute() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("labels", labels);
            body.put("executors", executors);
            JsonNode r = client().call("POST", "api/v1/agents", body);
            out().println(r.path("secret").asText());
            spec.commandLine().getErr().println("agent " + name + " created; the line above is its secret, shown only now");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the agents: name, online, labels, executors busy/total.")
    static final class ListAgents extends ClientCommands.Remote {
        @Override
        int execute() throws Exception {
            JsonNode agents = client().call("GET", "api/v1/agents", null);
            for (JsonNode a : agents) {
                List<String> labels = new ArrayList<>();
                a.path("labels").forEach(l -> labels.add(l.asText()));
                out().println(a.path("name").asText() + "\t" + (a.path("online").asBoolean() ? "online" : "offline") + "\t"
                        + String.join(",", labels) + "\t" + a.path("busy").asInt() + "/" + a.path("executors").asInt()
                        + "\t" + a.path("os").asText("") + " " + a.path("arch").asText(""));
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes an agent; a connected one is disconnected.")
    static final class Delete extends ClientCommands.Remote {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int execute() throws Exception {
            client().call("DELETE", "api/v1/agents/" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8), null);
            out().println("deleted agent " + name);
            return 0;
        }
    }
}
