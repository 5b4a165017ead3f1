package dev.gantry.engine.web;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Measures a cold {@link WebServer#start} in a fresh JVM: run it with the engine's test class path.
 * Prints the start time, the time to the first answered request and the time since JVM start.
 */
public final class StartTimeMain {
    private StartTimeMain() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        try (WebServer server = WebServer.start(new InMemoryController(), "127.0.0.1", 0, null)) {
            long started = System.nanoTime();
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.baseUri() + "api/v1/jobs")).build(), HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            System.out.printf("WebServer.start: %d ms; first request (%d): %d ms; since JVM start: %d ms%n",
                    (started - t0) / 1_000_000, r.statusCode(), (answered - started) / 1_000_000,
                    System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime());
        }
    }
}
