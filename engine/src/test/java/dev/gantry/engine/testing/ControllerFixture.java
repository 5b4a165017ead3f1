package dev.gantry.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.agent.AgentService;
import dev.gantry.engine.queue.TriggerService;
import dev.gantry.engine.security.Security;
import dev.gantry.engine.server.ControllerService;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.store.Store;
import dev.gantry.engine.web.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The real controller as {@code gantry server} wires it (store in a home directory, executors on
 * the built-in node, optionally the agent service and the trigger service, the REST API on a free
 * loopback port) and an HTTP client for it; one fixture so that every end-to-end test in the engine
 * starts the controller the same way.
 */
public final class ControllerFixture implements AutoCloseable {
    /** The JSON mapper the fixture writes request bodies and reads responses with. */
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(120);
    /** The password of the fixture's {@code admin}, whom every request of the fixture authenticates as. */
    public static final String ADMIN_PASSWORD = "fixture-admin-password";

    public final Path home;
    public final Store store;
    public final ControllerService controller;
    /** The agent service; null unless {@link Options#agents(Duration)} asked for it. */
    public final AgentService agents;
    /** The trigger service; null unless {@link Options#triggers(Clock)} asked for it. */
    public final TriggerService triggers;
    /** The controller's users, tokens and audit log; {@code admin} has {@link #ADMIN_PASSWORD}. */
    public final Security security;
    public final WebServer web;
    /** The controller's root URL, ending in {@code /}. */
    public final String url;
    /** The plugins of {@code <home>/plugins}, or null unless {@link Options#plugins()} was asked for. */
    public final dev.gantry.engine.plugin.PluginSystem plugins;
    public final HttpClient client = newClient();

    private ControllerFixture(Options o) throws IOException {
        this.home = o.home;
        this.store = Store.open(home);
        // With plugins, the controller's steps are the plugin system's live library, as in gantry server.
        this.plugins = o.plugins ? dev.gantry.engine.plugin.PluginSystem.start(new dev.gantry.engine.plugin.PluginSystem.Config(null,
                home.resolve("plugins"), home.resolve("plugin-data"), home.resolve("plugin-libs"),
                dev.gantry.engine.plugin.EngineVersion.CURRENT), StepLibrary.builtins()) : null;
        this.controller = new ControllerService(plugins == null ? StepLibrary.builtins() : plugins.steps(), store.jobs(), store.builds(), store.logs(), (job, number) -> {
            try {
                return store.artifactsDir(job, number);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, home.resolve("workspace"), o.executors, store.scripts(), store::backup);
        if (o.lease != null) {
            this.agents = o.reattachGrace == null ? new AgentService(store.agents(), home, o.executors, o.lease)
                    : new AgentService(store.agents(), home, o.executors, o.lease, o.reattachGrace);
            controller.nodes(agents::forBuild, agents.nodeTasks());
            controller.nodeWaits(agents::waiting);
        } else {
            this.agents = null;
        }
        if (plugins != null) {
            controller.plugins(plugins);
        }
        this.triggers = o.clock == null ? null : TriggerService.install(controller, store, o.clock);
        dev.gantry.engine.secrets.SecretsService.install(controller, store);
        this.security = new Security(store.security(), java.util.List::of, o.security);
        security.initialize(home, ADMIN_PASSWORD);
        this.web = WebServer.start(controller, "127.0.0.1", o.port, null, WebServer.DEFAULT_MAX_BODY_BYTES, agents, null, home, security);
        this.url = web.baseUri().toString();
        if (triggers != null) {
            controller.rootUrl(url);
            triggers.rootUrl(url);
        }
        controller.resumeInterrupted();
    }

    /** Options for a controller in {@code home} (2 executors, no agents, no triggers). */
    public static Options in(Path home) {
        return new Options(home);
    }

    /** A controller in {@code home} with {@code executors} executors, started. */
    public static ControllerFixture start(Path home, int executors) throws IOException {
        return in(home).executors(executors).start();
    }

    /** What to start; each setter returns this. */
    public static final class Options {
        private final Path home;
        private int executors = 2;
        private Duration lease;
        private Duration reattachGrace;
        private int port;
        private Clock clock;
        private Security.Options security = Security.Options.defaults().withBcryptCost(4);
        private boolean plugins;

        private Options(Path home) {
            this.home = home;
        }

        /** Executors on the built-in node, and per agent when agents are on. */
        public Options executors(int executors) {
            this.executors = executors;
            return this;
        }

        /** Turns on the agent service with this lease. */
        public Options agents(Duration lease) {
            this.lease = lease;
            return this;
        }

        /** Installs the trigger service (cron, upstream, build step) on this clock. */
        public Options triggers(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Security with these options (a fake clock for sessions and throttling); bcrypt cost 4 by default. */
        public Options security(Security.Options options) {
            this.security = options;
            return this;
        }

        /** How long after the start tasks agents still run from before it wait for resumed builds to claim them. */
        public Options reattachGrace(Duration grace) {
            this.reattachGrace = grace;
            return this;
        }

        /** Serves on this loopback port (0, the default: any free one); a restart in the same home takes the same port for its agents. */
        public Options port(int port) {
            this.port = port;
            return this;
        }

        /** Starts the plugins in {@code <home>/plugins} and runs builds with their steps; closed with the fixture. */
        public Options plugins() {
            this.plugins = true;
            return this;
        }

        /** Starts the controller; the caller closes it. */
        public ControllerFixture start() throws IOException {
            return new ControllerFixture(this);
        }
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    /** The absolute URI of {@code path}, given with or without its leading slash. */
    public URI uri(String path) {
        return URI.create(url + (path.startsWith("/") ? path.substring(1) : path));
    }

    /** A request to {@code path} with the fixture's timeout, authenticated as {@code admin}. */
    public HttpRequest.Builder request(String path) {
        return anonymous(path).header("Authorization", basic("admin", ADMIN_PASSWORD));
    }

    /** A request to {@code path} with the fixture's timeout and no credentials. */
    public HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT);
    }

    /** The {@code Authorization} value of HTTP Basic for {@code user} with a password or token. */
    public static String basic(String user, String secret) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code method path} with this {@code Authorization} value (null for none) and no other
     * credentials; the body as in {@link #send(String, String, Object)}.
     */
    public HttpResponse<String> sendWith(String authorization, String method, String path, Object body) {
        HttpRequest.Builder b = anonymous(path);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(client, b, method, body);
    }

    /**
     * Sends {@code method path}; a null body sends none, a String as is, anything else as JSON.
     * I/O failures are thrown unchecked, naming the request.
     */
    public HttpResponse<String> send(String method, String path, Object body) {
        return send(client, method, path, body);
    }

    /**
     * As {@link #send(String, String, Object)} on a connection of its own: after refusing a hostile
     * URI the server may close the connection, and a PUT (which the JDK client never retries) must
     * not race that close on a reused one.
     */
    public HttpResponse<String> sendAlone(String method, String path, Object body) {
        try (HttpClient own = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            return send(own, method, path, body);
        }
    }

    private HttpResponse<String> send(HttpClient http, String method, String path, Object body) {
        return send(http, request(path), method, body);
    }

    private HttpResponse<String> send(HttpClient http, HttpRequest.Builder b, String method, Object body) {
        try {
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(
                        body instanceof String s ? s : JSON.writeValueAsString(body)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(http, b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a prepared request; the body as text. */
    public HttpResponse<String> sendText(HttpRequest request) {
        return send(client, request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends a prepared request; the body as bytes. */
    public HttpResponse<byte[]> send(HttpRequest request) {
        return send(client, request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static <T> HttpResponse<T> send(HttpClient http, HttpRequest r, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(r, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(r.method() + " " + r.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET {@code path}, the body as text. */
    public HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    /** GET {@code path}, the body as bytes. */
    public HttpResponse<byte[]> getBytes(String path) {
        return send(request(path).build());
    }

    /** GET {@code path} as JSON; AssertionError unless it answers 200 with JSON. */
    public JsonNode json(String path) {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r);
    }

    /** The response's body as JSON; AssertionError when it is not JSON. */
    public static JsonNode parse(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    /** Creates or replaces job {@code name} with this pipeline script over HTTP. */
    public void putJob(String name, String script) {
        HttpResponse<String> r = send("PUT", "api/v1/jobs/" + name, Map.of("script", script));
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new AssertionError("PUT job " + name + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Triggers a build with this request body (see {@link #send}); its number. */
    public int trigger(String job, Object body) {
        HttpResponse<String> r = send("POST", "api/v1/jobs/" + job + "/builds", body);
        if (r.statusCode() != 201) {
            throw new AssertionError("trigger of " + job + " answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r).get("number").asInt();
    }

    /** Triggers a build with no parameters; its number. */
    public int trigger(String job) {
        return trigger(job, "{}");
    }

    /** Triggers a build with these parameters; its number. */
    public int triggerWith(String job, Map<String, ?> parameters) {
        return trigger(job, Map.of("parameters", parameters));
    }

    /** The build's JSON; AssertionError unless it exists. */
    public JsonNode build(String job, int number) {
        return json("api/v1/jobs/" + job + "/builds/" + number);
    }

    /** The build's log so far, or the error's text when it cannot be read. */
    public String log(String job, int number) {
        HttpResponse<String> r = get("api/v1/jobs/" + job + "/builds/" + number + "/log");
        return r.statusCode() == 200 ? r.body() : "(log answered " + r.statusCode() + ": " + r.body() + ")";
    }

    /** Polls {@code path} until it answers 200 with JSON that {@code done} accepts, for at most {@code seconds}. */
    public JsonNode await(String path, Predicate<JsonNode> done, long seconds) {
        JsonNode[] last = new JsonNode[1];
        await(() -> {
            HttpResponse<String> r = get(path);
            last[0] = r.statusCode() == 200 ? parse(r) : null;
            return last[0] != null && done.test(last[0]);
        }, Duration.ofSeconds(seconds), () -> "GET " + path + " did not get there within " + seconds + " s: " + last[0]);
        return last[0];
    }

    /** Waits (up to two minutes) for the build to exist and complete; its JSON. */
    public JsonNode completed(String job, int number) {
        JsonNode[] last = new JsonNode[1];
        String path = "api/v1/jobs/" + job + "/builds/" + number;
        await(() -> {
            HttpResponse<String> r = get(path);
            last[0] = r.statusCode() == 200 ? parse(r) : null;
            return last[0] != null && "COMPLETED".equals(last[0].path("status").asText());
        }, COMPLETION_TIMEOUT, () -> job + " #" + number + " did not complete: " + last[0] + "\n" + log(job, number));
        return last[0];
    }

    /** Waits (up to two minutes) until the build waits for an input; its pending inputs. */
    public JsonNode waitingInputs(String job, int number) {
        JsonNode[] last = new JsonNode[1];
        String path = "api/v1/jobs/" + job + "/builds/" + number + "/inputs";
        await(() -> {
            HttpResponse<String> r = get(path);
            last[0] = r.statusCode() == 200 ? parse(r).get("inputs") : null;
            return last[0] != null && last[0].size() > 0;
        }, COMPLETION_TIMEOUT, () -> job + " #" + number + " never waited for input:\n" + log(job, number));
        return last[0];
    }

    /** Polls {@code condition} every 20 ms; AssertionError with {@code message} when {@code timeout} passes first. */
    public static void await(BooleanSupplier condition, Duration timeout, Supplier<String> message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message.get());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    /** Stops the triggers, executors, agents, web server and store, and the client. */
    /** A {@code gantry agent} run in this JVM on a virtual thread, connected to a fixture's controller. */
    public record InProcessAgent(dev.gantry.engine.agent.AgentProcess process, Thread thread) implements AutoCloseable {
        /** Stops the agent and waits up to 20 s for its loop to end. */
        @Override
        public void close() throws InterruptedException {
            process.stop();
            thread.join(Duration.ofSeconds(20));
        }
    }

    /**
     * Registers agent {@code name} with {@code labels} and one executor, runs it in this JVM with
     * its work folder {@code workdir} and its log in {@code log}, and waits (20 s) until it is online.
     * Needs {@link Options#agents(Duration)}.
     */
    public InProcessAgent agent(String name, java.util.List<String> labels, Path workdir, java.io.OutputStream log) throws IOException {
        AgentService.Created a = agents.create(name, labels, 1);
        var process = new dev.gantry.engine.agent.AgentProcess(new dev.gantry.engine.agent.AgentProcess.Config(url, a.name(), a.secret(),
                java.util.List.of(), null, workdir, null, Duration.ofMillis(500)),
                new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        InProcessAgent agent = new InProcessAgent(process, Thread.ofVirtual().start(process::run));
        await(() -> agents.list().stream().anyMatch(x -> x.get("name").equals(name) && Boolean.TRUE.equals(x.get("online"))),
                Duration.ofSeconds(20), () -> "the agent " + name + " did not connect");
        return agent;
    }

    @Override
    public void close() {
        try {
            if (triggers != null) {
                triggers.close();
            }
            controller.shutdown(0);
            if (agents != null) {
                agents.close();
            }
        } finally {
            try {
                web.close();
            } finally {
                store.close();
                client.close();
                if (plugins != null) {
                    plugins.close();
                }
            }
        }
    }
}
