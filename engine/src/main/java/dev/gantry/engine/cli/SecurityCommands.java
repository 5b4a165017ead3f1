package dev.gantry.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry token create|list|revoke} and {@code gantry user list|create|delete|passwd|grant|revoke|disable|enable}, over the REST API. */
final class SecurityCommands {
    private SecurityCommands() {
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Command(name = "token", mixinStandardHelpOptions = true, description = "Manages API tokens (your own, or with --user another's as an administrator).",
            subcommands = {TokenCreate.class, TokenList.class, TokenRevoke.class})
    static final class Token implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a token command is required (create, list, revoke)");
        }
    }

    /** A token command: whose tokens, by default the signed-in user's. */
    abstract static class TokenVerb extends ClientCommands.Remote {
        @Option(names = "--user", paramLabel = "USER", description = "Whose tokens (default: the user of --auth).")
        String user;

        String tokensPath() throws Exception {
            String who = user;
            if (who == null) {
                who = Credentials.user(Credentials.resolve(auth));
            }
            if (who == null) {
                who = client().call("GET", "api/v1/whoami", null).path("name").asText();
            }
            return "api/v1/users/" + enc(who) + "/tokens";
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a token and prints it (shown only now: keep it, e.g. in the file for --auth @FILE).")
    static final class TokenCreate extends TokenVerb {
        @Parameters(index = "0", paramLabel = "NAME", description = "What the token is for (laptop, ci).")
        String name;

        @Override
        int execute() throws Exception {
            JsonNode r = client().call("POST", tokensPath(), Map.of("name", name));
            out().println(r.path("token").asText());
            spec.commandLine().getErr().println("token " + r.path("id").asText() + " (" + name + ") created; the line above is the token, shown only now");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists tokens: id, created, name (never the token).")
    static final class TokenList extends TokenVerb {
        @Override
        int execute() throws Exception {
            for (JsonNode t : client().call("GET", tokensPath(), null).path("tokens")) {
                out().println(t.path("id").asText() + "\t" + t.path("created").asText() + "\t" + t.path("name").asText());
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a token by its id (see token list); it stops working at once.")
    static final class TokenRevoke extends TokenVerb {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int execute() throws Exception {
            client().call("DELETE", tokensPath() + "/" + enc(id), null);
            out().println("revoked token " + id);
            return 0;
        }
    }

    @Command(name = "user", mixinStandardHelpOptions = true, description = "Manages users and their roles (administrators).",
            subcommands = {UserList.class, UserCreate.class, UserDelete.class, UserPasswd.class, UserGrant.class, UserRevoke.class,
                    UserDisable.class, UserEnable.class})
    static final class User implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a user command is required (list, create, delete, passwd, grant, revoke)");
        }
    }

    static String roles(JsonNode user) {
        List<String> out = new ArrayList<>();
        for (JsonNode g : user.path("roles")) {
            out.add(g.path("role").asText() + (g.path("folder").isNull() || g.path("folder").isMissingNode() ? "" : "@" + g.path("folder").asText()));
        }
        return out.isEmpty() ? "(no roles)" : String.join(",", out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists users and their roles (role@folder for a folder's).")
    static final class UserList extends ClientCommands.Remote {
        @Override
        int execute() throws Exception {
            for (JsonNode u : client().call("GET", "api/v1/users", null).path("users")) {
                out().println(u.path("name").asText() + "\t" + roles(u) + (u.path("disabled").asBoolean() ? "\tdisabled" : ""));
            }
            return 0;
        }
    }

    /** A new password: the first line of a file, or generated and printed once. */
    abstract static class WithPassword extends ClientCommands.Remote {
        @Option(names = "--password-file", paramLabel = "FILE", description = "The password, on the file's first line (default: a random one, printed once).")
        Path passwordFile;

        /** The password, and whether it was generated (and must be shown). */
        String[] password() throws Exception {
            if (passwordFile != null) {
                return new String[] {Files.readString(passwordFile, StandardCharsets.UTF_8).lines().findFirst().orElse(""), null};
            }
            byte[] b = new byte[18];
            new SecureRandom().nextBytes(b);
            String p = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            return new String[] {p, p};
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a user, optionally with roles.")
    static final class UserCreate extends WithPassword {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--role", paramLabel = "ROLE[@FOLDER]", description = "A role (admin, operator, developer, viewer), globally or @FOLDER; repeatable.")
        List<String> roles = new ArrayList<>();

        @Override
        int execute() throws Exception {
            String[] p = password();
            List<Object> grants = new ArrayList<>();
            for (String r : roles) {
                int at = r.indexOf('@');
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("role", at < 0 ? r : r.substring(0, at));
                g.put("folder", at < 0 ? null : r.substring(at + 1));
                grants.add(g);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("password", p[0]);
            body.put("roles", grants);
            JsonNode u = client().call("POST", "api/v1/users", body);
            out().println("created user " + name + " " + roles(u));
            if (p[1] != null) {
                out().println("password: " + p[1] + " (shown only now)");
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a user with their tokens and roles.")
    static final class UserDelete extends ClientCommands.Remote {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int execute() throws Exception {
            client().call("DELETE", "api/v1/users/" + enc(name), null);
            out().println("deleted user " + name);
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Disables a user: no sign-in, no tokens, sessions ended; roles and tokens are kept.")
    static final class UserDisable extends SetDisabled {
        UserDisable() {
            super(true);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enables a disabled user again.")
    static final class UserEnable extends SetDisabled {
        UserEnable() {
            super(false);
        }
    }

    /** {@code user disable} and {@code user enable}: one call, with the flag. */
    abstract static class SetDisabled extends ClientCommands.Remote {
        private final boolean disabled;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        SetDisabled(boolean disabled) {
            this.disabled = disabled;
        }

        @Override
        int execute() throws Exception {
            client().call("PUT", "api/v1/users/" + enc(name) + "/disabled", Map.of("disabled", disabled));
            out().println((disabled ? "disabled" : "enabled") + " user " + name);
            return 0;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Sets a user's password (administrators; ends the user's sessions).")
    static final class UserPasswd extends WithPassword {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int execute() throws Exception {
            String[] p = password();
            client().call("PUT", "api/v1/users/" + enc(name) + "/password", Map.of("password", p[0]));
            out().println("set the password of " + name);
            if (p[1] != null) {
                out().println("password: " + p[1] + " (shown only now)");
            }
            return 0;
        }
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Grants a role globally or on a folder (and everything in it).")
    static final class UserGrant extends ClientCommands.Remote {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ROLE", description = "admin, operator, developer or viewer.")
        String role;

        @Option(names = "--folder", paramLabel = "FOLDER", description = "Only on this folder (default: globally).")
        String folder;

        @Override
        int execute() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("role", role);
            body.put("folder", folder);
            JsonNode r = client().call("POST", "api/v1/users/" + enc(name) + "/grants", body);
            out().println(name + " " + roles(r));
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a role granted globally or on a folder.")
    static final class UserRevoke extends ClientCommands.Remote {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ROLE")
        String role;

        @Option(names = "--folder", paramLabel = "FOLDER", description = "The folder it was granted on (default: the global grant).")
        String folder;

        @Override
        int execute() throws Exception {
            JsonNode r = client().call("DELETE", "api/v1/users/" + enc(name) + "/grants/" + enc(role) + (folder == null ? "" : "?folder=" + enc(folder)), null);
            out().println(name + " " + roles(r));
            return 0;
        }
    }
}
