package dev.gantry.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry credentials create|list|delete}: a controller's credentials, global or of a
 * folder. Secret values are best given from a file or standard input: a command line is visible
 * to other users of the machine.
 */
final class CredentialCommands {
    private CredentialCommands() {
    }

    static String path(String folder, String id) {
        String base = folder == null || folder.isEmpty() ? "api/v1/credentials" : FolderCommands.folderPath(folder) + "/credentials";
        return id == null ? base : base + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Command(name = "credentials", mixinStandardHelpOptions = true, description = "Manages the credentials of a controller.",
            subcommands = {Create.class, ListCredentials.class, Delete.class})
    static final class Credentials implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a credentials command is required (create, list, delete)");
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {
            "Creates a credential. Types and their fields:",
            "  string: secret | usernamePassword: username, password",
            "  sshUserPrivateKey: username, privateKey, passphrase | file: fileName, content or contentBase64",
            "  certificate: keystoreBase64, password",
            "Example: gantry credentials create deploy-key --type sshUserPrivateKey --field username=git --field-file privateKey=~/.ssh/id_ed25519"})
    static final class Create extends ClientCommands.Remote {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "string, usernamePassword, sshUserPrivateKey, file or certificate.")
        String type;

        @Option(names = "--folder", paramLabel = "PATH", description = "The folder that holds it (default: global).")
        String folder;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(names = "--field", paramLabel = "NAME=VALUE", description = "A field given on the command line (visible to other processes: avoid for secrets).")
        List<String> fields = new ArrayList<>();

        @Option(names = "--field-file", paramLabel = "NAME=FILE", description = "A field read from a file (fields ending in Base64 get the file's bytes base64-encoded).")
        List<String> fieldFiles = new ArrayList<>();

        @Option(names = "--field-stdin", paramLabel = "NAME", description = "A field read from standard input (to its end, one trailing line break removed).")
        String fieldStdin;

        @Override
        int execute() throws Exception {
            Map<String, String> values = new LinkedHashMap<>();
            for (String f : fields) {
                String[] kv = split(f, "--field");
                values.put(kv[0], kv[1]);
            }
            for (String f : fieldFiles) {
                String[] kv = split(f, "--field-file");
                Path p = Path.of(kv[1].startsWith("~/") ? System.getProperty("user.home") + kv[1].substring(1) : kv[1]);
                byte[] b;
                try {
                    b = Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--field-file " + kv[0] + ": cannot read " + p + ": " + e.getMessage());
                }
                values.put(kv[0], kv[0].endsWith("Base64") ? Base64.getEncoder().encodeToString(b) : new String(b, StandardCharsets.UTF_8));
            }
            if (fieldStdin != null) {
                String s = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                values.put(fieldStdin, s.endsWith("\n") ? s.substring(0, s.length() - (s.endsWith("\r\n") ? 2 : 1)) : s);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("type", type);
            body.put("description", description == null ? "" : description);
            body.put("fields", values);
            JsonNode c = client().call("POST", path(folder, null), body);
            out().println("credential " + c.path("id").asText() + " (" + c.path("type").asText() + ") created"
                    + (folder == null ? "" : " in folder " + folder));
            return 0;
        }

        private String[] split(String s, String option) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + " '" + s + "' must be NAME=VALUE");
            }
            return new String[] {s.substring(0, eq), s.substring(eq + 1)};
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists credentials (ids, types, descriptions; never their secrets).")
    static final class ListCredentials extends ClientCommands.Remote {
        @Option(names = "--folder", paramLabel = "PATH", description = "A folder's credentials (default: global).")
        String folder;

        @Override
        int execute() throws Exception {
            JsonNode list = client().call("GET", path(folder, null), null);
            for (JsonNode c : list.path("credentials")) {
                out().println(c.path("id").asText() + "\t" + c.path("type").asText() + "\t" + c.path("description").asText());
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a credential.")
    static final class Delete extends ClientCommands.Remote {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--folder", paramLabel = "PATH", description = "The folder that holds it (default: global).")
        String folder;

        @Override
        int execute() throws Exception {
            client().call("DELETE", path(folder, id), null);
            out().println("credential " + id + " deleted");
            return 0;
        }
    }
}
