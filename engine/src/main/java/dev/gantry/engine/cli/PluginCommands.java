package dev.gantry.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.plugin.PluginInfo;
import dev.gantry.engine.plugin.PluginSystem;
import dev.gantry.engine.steps.StepLibrary;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry plugin list|install|enable|disable|uninstall}: against a running controller
 * ({@code --url}, through {@code /api/v1/plugins}) or, with {@code --home DIR}, on a home's
 * plugins folder directly while its controller is stopped.
 */
final class PluginCommands {
    private PluginCommands() {
    }

    /** {@code gantry plugin}. */
    @Command(name = "plugin", mixinStandardHelpOptions = true, description = "Manages plugins on a controller, or in a home with --home.",
            subcommands = {PluginList.class, PluginInstall.class, PluginEnable.class, PluginDisable.class, PluginUninstall.class})
    static final class Plugin implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a plugin command is required (list, install, enable, disable, uninstall)");
        }
    }

    /** A plugin verb: remote unless {@code --home} is given. */
    abstract static class Verb extends ClientCommands.Remote {
        @Option(names = "--home", paramLabel = "DIR", description = {"Changes the plugins of this home directly instead of asking a controller",
                "(use it while the home's controller is stopped; it sees the change when it starts)."})
        Path home;

        /** Works on a home's folder; the plugins are validated, not loaded. */
        PluginSystem offline() {
            LocalPlugins.quietLogging();
            return PluginSystem.inspect(PluginSystem.Config.forHome(home.toAbsolutePath().normalize()), StepLibrary.builtins());
        }

        static JsonNode json(PluginInfo info) {
            return ApiClient.JSON.valueToTree(info);
        }

        static String path(String id) {
            return "api/v1/plugins/" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** A change to one plugin, made on a home's folder. */
        interface OfflineChange {
            PluginInfo apply(PluginSystem plugins, String id) throws Exception;
        }

        /** Plugin {@code id} after {@code change} on the home with --home, else after {@code POST .../ID/verb} on the controller. */
        JsonNode change(String id, String verb, OfflineChange change) throws Exception {
            if (home != null) {
                try (PluginSystem ps = offline()) {
                    return json(change.apply(ps, id));
                }
            }
            return client().call("POST", path(id) + "/" + verb, null);
        }

        /** Prints one plugin; returns 1 when it is not running (or, offline, would not run), else 0. */
        int print(JsonNode p) {
            String state = p.path("state").asText();
            String detail;
            if (p.hasNonNull("error")) {
                detail = p.path("error").asText();
            } else if (p.path("steps").size() > 0) {
                List<String> steps = new ArrayList<>();
                p.path("steps").forEach(s -> steps.add(s.asText()));
                detail = "steps: " + String.join(", ", steps);
            } else {
                detail = "";
            }
            out().println(String.format("%-24s %-12s %-16s %s", p.path("id").asText() + (p.path("bundled").asBoolean() ? " (bundled)" : ""),
                    p.path("version").asText("?"), state, detail).stripTrailing());
            p.path("warnings").forEach(w -> out().println("    warning: " + w.asText()));
            return state.equals("INVALID") || state.equals("FAILED") ? 1 : 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the plugins with their state, and why each one that is not running is not.")
    static final class PluginList extends Verb {
        @Override
        int execute() throws Exception {
            JsonNode plugins;
            if (home != null) {
                try (PluginSystem ps = offline()) {
                    plugins = ApiClient.JSON.valueToTree(ps.list());
                }
            } else {
                plugins = client().call("GET", "api/v1/plugins", null).path("plugins");
            }
            if (plugins.isEmpty()) {
                out().println("no plugins installed");
            }
            plugins.forEach(this::print);
            return 0;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Installs a plugin jar (or upgrades the installed version of it).",
                    "A controller starts it at once when its dependencies allow; exit code 1 when it could not start, with the reason."})
    static final class PluginInstall extends Verb {
        @Parameters(index = "0", paramLabel = "FILE", description = "The plugin jar.")
        Path file;

        @Override
        int execute() throws Exception {
            if (!Files.isRegularFile(file)) {
                throw new java.nio.file.NoSuchFileException(file + ": no such file");
            }
            JsonNode p;
            if (home != null) {
                try (PluginSystem ps = offline(); InputStream in = Files.newInputStream(file)) {
                    p = json(ps.install(in));
                }
            } else {
                p = client().upload("api/v1/plugins", file, "application/java-archive");
            }
            out().println("installed " + p.path("id").asText() + " " + p.path("version").asText());
            return print(p);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enables a disabled plugin and starts it.")
    static final class PluginEnable extends Verb {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int execute() throws Exception {
            return print(change(id, "enable", PluginSystem::enable));
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Stops a plugin and keeps it from starting until enabled again.")
    static final class PluginDisable extends Verb {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int execute() throws Exception {
            print(change(id, "disable", PluginSystem::disable));
            return 0;
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true, description = "Stops a plugin and deletes its jar from the home.")
    static final class PluginUninstall extends Verb {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int execute() throws Exception {
            if (home != null) {
                try (PluginSystem ps = offline()) {
                    ps.uninstall(id);
                }
            } else {
                client().call("DELETE", path(id), null);
            }
            out().println("uninstalled " + id);
            return 0;
        }
    }
}
