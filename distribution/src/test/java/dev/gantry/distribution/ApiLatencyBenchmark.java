package dev.gantry.distribution;

import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.StageRow;
import dev.gantry.engine.store.Store;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W8: API latency with 10,000 builds of one job in history, measured over HTTP against the built
 * distribution's controller. A hand-run benchmark, not a test: {@code scripts/bench/api-latency}.
 */
public final class ApiLatencyBenchmark {
    private ApiLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int builds = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Path home = Files.createTempDirectory("gantry-w8-");
        List<StageRow> stages = List.of(new StageRow("Build", null, "SUCCESS", 1200), new StageRow("Unit", "Test", "SUCCESS", 800),
                new StageRow("Test", null, "SUCCESS", 900));
        try (Store store = Store.open(home)) {
            store.jobs().save("team-a/api", "pipeline { agent any\n stages { stage('Build') { steps { echo 'x' } } } }\n", null);
            for (int i = 0; i < builds; i++) {
                BuildRecord b = store.builds().create("team-a/api", Map.of("TARGET", "staging"), "Started by timer");
                store.builds().markRunning("team-a/api", b.number(), Instant.now());
                store.builds().complete("team-a/api", b.number(), i % 10 == 0 ? "FAILURE" : "SUCCESS", 1234, stages,
                        Map.of("total", 120, "failed", 0, "skipped", 3, "passed", 117), List.of("dist/app.jar"));
            }
        }
        Path out = home.resolve("server.out");
        Process server = Gantry.command(out, List.of("server", "--home", home.toString(), "--port", "0"), Map.of()).start();
        try {
            URI base = null;
            Pattern ready = Pattern.compile("ready at (http://\\S+/)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (base == null) {
                Matcher m = ready.matcher(Files.readString(out));
                if (m.find()) {
                    base = URI.create(m.group(1));
                } else if (System.nanoTime() > deadline || !server.isAlive()) {
                    throw new IllegalStateException("the controller did not start: " + Files.readString(out));
                } else {
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                }
            }
            HttpClient http = HttpClient.newHttpClient();
            measure(http, base.resolve("api/v1/jobs/team-a/api/builds?limit=50"), requests, "W8-build-list");
            measure(http, base.resolve("api/v1/jobs/team-a/api/builds/" + (builds / 2)), requests, "W8-build-detail");
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void measure(HttpClient http, URI uri, int requests, String name) throws Exception {
        HttpRequest req = Gantry.request(uri).GET().build();
        for (int i = 0; i < requests / 4; i++) {
            http.send(req, HttpResponse.BodyHandlers.discarding());
        }
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            nanos[i] = System.nanoTime() - t;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + r.statusCode());
            }
        }
        Arrays.sort(nanos);
        System.out.printf("%s p50 %.2f ms, p99 %.2f ms (%d requests after %d warm-up)%n", name,
                nanos[requests / 2] / 1e6, nanos[(int) (requests * 0.99)] / 1e6, requests, requests / 4);
    }
}
