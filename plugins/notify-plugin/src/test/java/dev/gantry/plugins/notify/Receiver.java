package dev.gantry.plugins.notify;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real HTTP endpoint on a loopback port for the tests: records every request and answers with
 * scripted statuses (the last one repeats), so a test sees exactly what a Slack, webhook or forge
 * server would have received.
 */
final class Receiver implements AutoCloseable {
    /** One request as received: the path as sent (still percent-encoded), header names in lower case. */
    record Received(String method, String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Deque<Integer> statuses;
    private final String responseBody;

    /** A receiver answering {@code responseBody} with these statuses in turn (200 when none given). */
    Receiver(String responseBody, Integer... statuses) throws Exception {
        this.responseBody = responseBody;
        this.statuses = new ArrayDeque<>(statuses.length == 0 ? List.of(200) : List.of(statuses));
        server = new Server();
        // GitLab takes a project path with encoded slashes (group%2Fapi); Jetty refuses those by default.
        org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
        http.setUriCompliance(org.eclipse.jetty.http.UriCompliance.DEFAULT.with("gitlab",
                org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        connector = new ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Map<String, String> headers = new LinkedHashMap<>();
                for (HttpField f : request.getHeaders()) {
                    headers.put(f.getName().toLowerCase(Locale.ROOT), f.getValue());
                }
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                int status;
                synchronized (Receiver.this.statuses) {
                    status = Receiver.this.statuses.size() > 1 ? Receiver.this.statuses.poll() : Receiver.this.statuses.peek();
                }
                received.add(new Received(request.getMethod(), request.getHttpURI().getPath(), headers, body));
                response.setStatus(status);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                Content.Sink.write(response, true, Receiver.this.responseBody, callback);
                return true;
            }
        });
        server.start();
    }

    /** The URL of {@code path} on this receiver. */
    String url(String path) {
        return "http://127.0.0.1:" + connector.getLocalPort() + path;
    }

    /** The base URL, without a trailing slash. */
    String base() {
        return "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** The next request received, waiting up to 10 s for it. */
    Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(r, "the receiver got no request within 10 s");
        return r;
    }

    /** How many requests are waiting to be taken with {@link #next}. */
    int pending() {
        return received.size();
    }

    /** A loopback port nothing listens on: bound, then closed again. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
