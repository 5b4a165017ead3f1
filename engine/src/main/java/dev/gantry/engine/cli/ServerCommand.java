package dev.gantry.engine.cli;

import dev.gantry.api.security.IdentityProvider;
import dev.gantry.engine.queue.TriggerService;
import dev.gantry.engine.security.Security;
import dev.gantry.engine.agent.AgentService;
import dev.gantry.engine.plugin.PluginSystem;
import dev.gantry.engine.server.BuildMetrics;
import dev.gantry.engine.server.ControllerService;
import dev.gantry.engine.server.NotificationDispatcher;
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

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "Serve HTTPS with this PKCS#12 (or .jks) key store: the server's key and certificate chain.")
    Path tlsKeystore;

    @Option(names = "--tls-password-file", paramLabel = "FILE", description = "A file holding the key store's password (with --tls-keystore).")
    Path tlsPasswordFile;
    @Option(names = "--admin-password-file", paramLabel = "FILE",
            description = "On the first start, the password of the user admin (its first line); else $GANTRY_ADMIN_PASSWORD, else a random one, printed once.")
    Path adminPasswordFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Logging.configure();
        dev.gantry.engine.server.StartupTrace.mark("command parsed");
        if ((tlsKeystore == null) != (tlsPasswordFile == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-keystore and --tls-password-file go together");
        }
        dev.gantry.engine.web.ServerTls tls = tlsKeystore == null ? null : dev.gantry.engine.web.ServerTls.load(tlsKeystore, tlsPasswordFile);
        Path h = (home != null ? home : defaultHome()).toAbsolutePath().normalize();
        Store store = Store.open(h);
        dev.gantry.engine.server.StartupTrace.mark("store open");
        PluginSystem plugins = PluginSystem.startInBackground(PluginSystem.Config.forHome(h), StepLibrary.builtins());
        dev.gantry.engine.server.StartupTrace.mark("plugins started");
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
        agents.plugins(plugins);
        controller.nodes(agents::forBuild, agents.nodeTasks());
        controller.nodeWaits(agents::waiting);
        TriggerService triggers = TriggerService.install(controller, store, java.time.Clock.systemDefaultZone());
        controller.plugins(plugins);
        NotificationDispatcher notifications = NotificationDispatcher.configured(store.notificationRules(), store.builds(),
                () -> plugins.extensions(dev.gantry.api.notify.Notifier.class));
        controller.notificationRules(store.notificationRules());
        controller.listener(notifications);
        dev.gantry.engine.secrets.SecretsService secrets = dev.gantry.engine.secrets.SecretsService.install(controller, store);
        dev.gantry.engine.scm.ControllerScm scm = dev.gantry.engine.scm.ControllerScm.install(controller, store, plugins, java.time.Clock.systemDefaultZone());
        // Polling, fetching a Jenkinsfile and multibranch scans run outside any build: they see the
        // global credentials (a build's own checkouts see its folders' too), recorded as used by "scm".
        scm.credentials(secrets.credentials().lookup("scm", 0));
        // Notification rules run after a build, outside it: they see the global credentials too.
        dev.gantry.api.credentials.CredentialLookup ruleCredentials = secrets.credentials().lookup("notifications", 0);
        notifications.secrets(id -> {
            dev.gantry.api.credentials.Credential c = ruleCredentials.find(id);
            return c.fields().containsKey("secret") ? c.field("secret") : c.field("password");
        });
        dev.gantry.engine.server.StartupTrace.mark("services wired");
        Metrics metrics = new Metrics().registerJvm();
        BuildMetrics.register(metrics, controller);
        metrics.gauge("gantry_agents_online", "Agents connected now, the built-in one included.")
                .bind(() -> agents.list().stream().filter(a -> Boolean.TRUE.equals(a.get("online"))).count());
        metrics.gauge("gantry_agents_total", "Agents registered, the built-in one included.").bind(() -> agents.list().size());
        metrics.gauge("gantry_executors_total", "Executors of the online agents, the built-in one's included.").bind(() -> agents.executorFigures()[0]);
        metrics.gauge("gantry_executors_busy", "Executors running a build's node block now.").bind(() -> agents.executorFigures()[1]);
        Security security = new Security(store.security(), () -> plugins.extensions(IdentityProvider.class), Security.Options.defaults());
        // On a new home the first administrator's password is hashed (bcrypt, deliberately slow,
        // slower still before the JIT warms up) while Jetty starts; ready waits for it.
        String preset = AdminPassword.preset(adminPasswordFile);
        java.util.concurrent.FutureTask<String> firstAdmin = new java.util.concurrent.FutureTask<>(() -> {
            String p = security.initialize(h, preset);
            dev.gantry.engine.server.StartupTrace.mark("security initialised (background)");
            return p;
        });
        Thread.ofPlatform().name("gantry-security-init").start(firstAdmin);
        controller.readiness(plugins::started);
        controller.readiness(firstAdmin::isDone);
        dev.gantry.engine.server.StartupTrace.mark("security started in background");
        WebServer web = WebServer.start(controller, bind, port, metrics, WebServer.DEFAULT_MAX_BODY_BYTES, agents, tls, h, security);
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? localHostName() : bind;
        String root = web.scheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + web.port() + "/";
        controller.rootUrl(root);
        triggers.rootUrl(root);
        notifications.rootUrl(root);
        dev.gantry.engine.server.StartupTrace.mark("web server started");
        String generated;
        try {
            generated = firstAdmin.get();
        } catch (java.util.concurrent.ExecutionException e) {
            web.close();
            throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
        }
        if (generated != null) {
            System.out.println("gantry: created the user admin with the password " + generated
                    + " (also in " + h.resolve(Security.INITIAL_PASSWORD_FILE) + "; shown only this once)");
        }
        controller.resumeInterrupted();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("gantry: shutting down: no new builds; running builds have " + grace + " s to finish");
            triggers.close();
            scm.close();
            controller.shutdown(grace * 1000L);
            notifications.shutdown(5000);
            agents.close();
            web.close();
            plugins.close();
            store.close();
            stopped.countDown();
        }, "gantry-shutdown"));
        System.out.println("Gantry controller ready at " + web.scheme() + "://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + web.port()
                + "/ (home " + h + ")");
        System.out.flush();
        // After ready, not before: warming the process launcher would only slow the start down.
        dev.gantry.engine.workspace.LocalProcess.prepare(true);
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
