package dev.gantry.engine.cli;

import dev.gantry.engine.queue.TriggerService;
import dev.gantry.engine.agent.AgentService;
import dev.gantry.engine.plugin.PluginSystem;
import dev.gantry.engine.server.BuildMetrics;
import dev.gantry.engine.server.ControllerService;
import dev.gantry.engine.server.Logging;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.store.Store;
import dev.gantry.engine.web.Metrics;
import dev.gantry.engine.web.WebServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gantry server}: the controller: store, queue, executors and the REST API. Runs until
 * SIGTERM or Ctrl-C, then stops taking builds, lets running ones finish within the grace period,
 * aborts the rest, and closes the store.
 */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Runs the controller: jobs, builds, REST API.")
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--home", paramLabel = "DIR", description = "Where the controller keeps its data (default: $GANTRY_HOME, else ~/.gantry).")
    Path home;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "The HTTP port (default 8080; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "The address to listen on (default 127.0.0.1).")
    String bind;

    @Option(names = "--executors", paramLabel = "N", defaultValue = "2", description = "Builds that run at once on the built-in node (default 2).")
    int executors;

    @Option(names = "--agent-lease", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long an agent stays online without heartbeat before its running steps fail (default 30).")
    double agentLease;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "30", description = "On shutdown, how long running builds may take to finish (default 30).")
    int grace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Logging.configure();
        Path h = (home != null ? home : defaultHome()).toAbsolutePath().normalize();
        Store store = Store.open(h);
        PluginSystem plugins = PluginSystem.start(PluginSystem.Config.forHome(h), StepLibrary.builtins());
        ControllerService controller = new ControllerService(plugins.steps(), store.jobs(), store.builds(), store.logs(),
                (job, number) -> {
                    try {
                        return store.artifactsDir(job, number);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, h.resolve("workspace"), Math.max(1, executors), store.scripts(), store::backup);
        AgentService agents = new AgentService(store.agents(), h, Math.max(1, executors),
                java.time.Duration.ofMillis(Math.max(1000, (long) (agentLease * 1000))));
        controller.nodes(agents::forBuild, agents.nodeTasks());
        TriggerService triggers = TriggerService.install(controller, store, java.time.Clock.systemDefaultZone());
        controller.plugins(plugins);
        dev.gantry.engine.scm.ControllerScm scm = dev.gantry.engine.scm.ControllerScm.install(controller, store, plugins, java.time.Clock.systemDefaultZone());
        Metrics metrics = new Metrics().registerJvm();
        BuildMetrics.register(metrics, controller);
        metrics.gauge("gantry_agents_online", "Agents connected now, the built-in one included.")
                .bind(() -> agents.list().stream().filter(a -> Boolean.TRUE.equals(a.get("online"))).count());
        metrics.gauge("gantry_agents_total", "Agents registered, the built-in one included.").bind(() -> agents.list().size());
        WebServer web = WebServer.start(controller, bind, port, metrics, WebServer.DEFAULT_MAX_BODY_BYTES, agents);
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? localHostName() : bind;
        String root = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + web.port() + "/";
        controller.rootUrl(root);
        triggers.rootUrl(root);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("gantry: shutting down: no new builds; running builds have " + grace + " s to finish");
            triggers.close();
            scm.close();
            controller.shutdown(grace * 1000L);
            agents.close();
            web.close();
            plugins.close();
            store.close();
            stopped.countDown();
        }, "gantry-shutdown"));
        System.out.println("Gantry controller ready at http://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + web.port()
                + "/ (home " + h + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** The name build URLs use when the controller listens on every address. */
    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    static Path defaultHome() {
        String env = System.getenv("GANTRY_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".gantry");
    }
}
