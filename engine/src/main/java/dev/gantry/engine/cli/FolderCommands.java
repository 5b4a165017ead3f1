package dev.gantry.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry folder list|create|delete} and {@code gantry queue}: the job tree and the waiting builds of a controller. */
final class FolderCommands {
    private FolderCommands() {
    }

    static String folderPath(String folder) {
        StringBuilder sb = new StringBuilder("api/v1/folders");
        if (folder == null || folder.isEmpty()) {
            return sb.toString();
        }
        for (String part : folder.split("/", -1)) {
            sb.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    @Command(name = "folder", mixinStandardHelpOptions = true, description = "Manages folders of jobs on a controller.",
            subcommands = {FolderList.class, FolderCreate.class, FolderDelete.class})
    static final class Folder implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a folder command is required (list, create, delete)");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the folders and jobs in a folder (the top level without PATH).")
    static final class FolderList extends ClientCommands.Remote {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PATH")
        String path;

        @Override
        int execute() throws Exception {
            JsonNode f = client().call("GET", folderPath(path), null);
            for (JsonNode sub : f.path("folders")) {
                out().println(sub.path("name").asText() + "/\tfolder");
            }
            for (JsonNode j : f.path("jobs")) {
                out().println(j.path("name").asText() + "\tversion " + j.path("version").asText());
            }
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a folder (and its parents), or sets its description.")
    static final class FolderCreate extends ClientCommands.Remote {
        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Override
        int execute() throws Exception {
            client().call("PUT", folderPath(path), description == null ? Map.of() : Map.of("description", description));
            out().println("folder " + path);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = {"Deletes an empty folder; with --recursive, also every folder and job in it, with their builds."})
    static final class FolderDelete extends ClientCommands.Remote {
        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Option(names = "--recursive", description = "Confirms deleting everything in the folder: jobs, their builds, logs and artifacts.")
        boolean recursive;

        @Override
        int execute() throws Exception {
            JsonNode r = client().call("DELETE", folderPath(path) + (recursive ? "?recursive=true" : ""), null);
            for (JsonNode j : r.path("deletedJobs")) {
                out().println("deleted job " + j.asText());
            }
            out().println("deleted folder " + path);
            return 0;
        }
    }

    @Command(name = "queue", mixinStandardHelpOptions = true, description = "Lists the builds waiting to start and why they wait.")
    static final class Queue extends ClientCommands.Remote {
        @Override
        int execute() throws Exception {
            for (JsonNode q : client().call("GET", "api/v1/queue", null).path("items")) {
                out().println(q.path("job").asText() + "#" + q.path("number").asInt() + "\t" + q.path("why").asText());
            }
            return 0;
        }
    }
}
