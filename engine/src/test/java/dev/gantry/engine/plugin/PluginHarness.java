package dev.gantry.engine.plugin;

import dev.gantry.api.Result;
import dev.gantry.engine.local.LocalRun;
import dev.gantry.engine.steps.StepLibrary;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A home with a plugins folder in a temporary directory, and pipelines run against its plugins. */
final class PluginHarness {
    final Path root;
    final Path plugins;
    final Path bundled;

    PluginHarness(Path root) {
        this.root = root;
        this.plugins = root.resolve("home/plugins");
        this.bundled = root.resolve("dist/plugins");
    }

    PluginSystem.Config config(String engineVersion) {
        return new PluginSystem.Config(bundled, plugins, root.resolve("home/plugin-data"), root.resolve("lib-cache"), engineVersion);
    }

    PluginSystem start() {
        return PluginSystem.start(config("0.1.0"), StepLibrary.builtins());
    }

    record Run(Result result, String log) {
    }

    Run run(PluginSystem system, String script) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LocalRun.Outcome o = new LocalRun(system.steps().snapshot(), root.resolve("ws")).run("Jenkinsfile", script, log);
        return new Run(o.result(), log.toString(StandardCharsets.UTF_8));
    }

    static PluginInfo info(PluginSystem system, String id) {
        return system.get(id);
    }
}
