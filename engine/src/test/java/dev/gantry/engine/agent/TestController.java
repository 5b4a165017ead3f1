package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.server.ControllerService;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildStatus;
import dev.gantry.engine.store.Store;
import dev.gantry.engine.web.WebServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A real controller in this JVM for agent tests: store in a temporary home, the agent service
 * with a given lease, the REST API on a free loopback port; and agents run as {@link AgentProcess}
 * on threads of their own.
 */
final class TestController implements AutoCloseable {
    final Path home;
    final Store store;
    final ControllerService controller;
    final AgentService agents;
    final WebServer web;
    private final List<Running> started = new ArrayList<>();

    TestController(Path home, Duration lease) throws IOException {
        this.home = home;
        this.store = Store.open(home);
        this.controller = new ControllerService(StepLibrary.builtins(), store.jobs(), store.builds(), store.logs(), (job, number) -> {
            try {
                return store.artifactsDir(job, number);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, home.resolve("workspace"), 2, store.scripts(), store::backup);
        this.agents = new AgentService(store.agents(), home, 2, lease);
        controller.nodes(agents::forBuild, agents.nodeTasks());
        this.web = WebServer.start(controller, "127.0.0.1", 0, null, WebServer.DEFAULT_MAX_BODY_BYTES, agents);
    }

    String url() {
        return web.baseUri().toString();
    }

    /** An agent process on a thread, with its output captured. */
    static final class Running {
        final AgentProcess process;
        final Thread thread;
        final ByteArrayOutputStream output;
        volatile int exit = -1;

        Running(AgentProcess process, ByteArrayOutputStream output) {
            this.process = process;
            this.output = output;
            this.thread = Thread.ofVirtual().start(() -> exit = process.run());
        }

        String output() {
            synchronized (output) {
                return output.toString(StandardCharsets.UTF_8);
            }
        }

        void stop() throws InterruptedException {
            process.stop();
            thread.join(Duration.ofSeconds(20));
        }
    }

    Running startAgent(String name, String secret, Path workdir, String... labels) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        Running r = new Running(new AgentProcess(new AgentProcess.Config(url(), name, secret, List.of(labels), null, workdir, null,
                Duration.ofMillis(500)), ps), out);
        started.add(r);
        return r;
    }

    boolean online(String name) {
        return agents.list().stream().anyMatch(a -> a.get("name").equals(name) && Boolean.TRUE.equals(a.get("online")));
    }

    BuildRecord build(String job, String script) throws Exception {
        controller.putJob(job, script, null);
        BuildRecord b = controller.trigger(job, Map.of(), "Started by test");
        return awaitCompletion(job, b.number(), Duration.ofSeconds(60));
    }

    BuildRecord awaitCompletion(String job, int number, Duration timeout) {
        await(() -> controller.build(job, number).map(b -> b.status() == BuildStatus.COMPLETED).orElse(false), timeout,
                () -> job + " #" + number + " did not complete; log so far:\n" + log(job, number));
        return controller.build(job, number).orElseThrow();
    }

    String log(String job, int number) {
        try (InputStream in = controller.log(job, number, 0)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> message) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, message);
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    @Override
    public void close() throws Exception {
        for (Running r : started) {
            r.stop();
        }
        controller.shutdown(0);
        agents.close();
        web.close();
        store.close();
    }
}
