package dev.gantry.engine.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The agent's HTTP client of the protocol: JSON calls with the agent's name, secret and session
 * headers, and the streamed input and output of tasks. HTTPS trusts the JDK's CAs, or only the
 * given CA certificate file. Thread-safe.
 */
final class AgentHttp {
    private final URI base;
    private final String name;
    private final String secret;
    /** For streams (plugin jars, task input and output): reading a stream must not hold up other calls. */
    private final HttpClient http;
    /**
     * For the small JSON calls (poll, events, heartbeat): answers are taken in on the client's
     * selector thread instead of being handed to a pool thread first, one thread hand-off less
     * per call. Every remote step waits for two such calls (its task's poll answer and its result's
     * {@code events} call), and on a busy machine each hand-off waits for a core: measured with
     * 500 calls on loopback at load ~15, ~0.8 ms a call against ~1.8 ms with the default executor.
     * Safe because these calls only read byte arrays: nothing blocks on that thread.
     */
    private final HttpClient json;

    /** A call answered with an error status: the status, the protocol's error code and message. */
    static final class Status extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        Status(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    AgentHttp(String url, String name, String secret, Path caCert) throws IOException {
        this.base = URI.create(url.endsWith("/") ? url : url + "/").resolve(AgentProtocol.BASE + "/");
        this.name = name;
        this.secret = secret;
        SSLContext tls = caCert != null ? trusting(caCert) : "http".equalsIgnoreCase(base.getScheme()) ? PlainHttpOnly.CONTEXT : null;
        this.http = client(tls).build();
        this.json = client(tls).executor(Runnable::run).build();
    }

    private static HttpClient.Builder client(SSLContext tls) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            b.sslContext(tls);
        }
        if (tls == PlainHttpOnly.CONTEXT) {
            b.sslParameters(new SSLParameters());  // else the client asks the context for its defaults
        }
        return b;
    }

    private static SSLContext trusting(Path caCert) throws IOException {
        try (InputStream in = Files.newInputStream(caCert)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IOException("the CA certificate file " + caCert + " holds no certificate (expected PEM or DER X.509)");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the CA certificate " + caCert + ": " + e.getMessage(), e);
        }
    }

    URI base() {
        return base;
    }

    /** The TLS context the calls use (for tests: {@link PlainHttpOnly#CONTEXT} for an http URL). */
    SSLContext tls() {
        return json.sslContext();
    }

    private HttpRequest.Builder request(String path, String session, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header(AgentProtocol.AGENT_HEADER, name)
                .header("Authorization", "Bearer " + secret)
                .header(AgentProtocol.CALL_HEADER, java.util.UUID.randomUUID().toString());
        if (session != null) {
            b.header(AgentProtocol.SESSION_HEADER, session);
        }
        return b;
    }

    /** POSTs {@code body} as JSON; returns the answer's JSON object (empty for 204). */
    @SuppressWarnings("unchecked")
    Map<String, Object> post(String path, String session, Object body, Duration timeout) throws IOException, InterruptedException {
        HttpRequest req = request(path, session, timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(AgentProtocol.JSON.writeValueAsBytes(body))).build();
        HttpResponse<byte[]> r = json.send(req, HttpResponse.BodyHandlers.ofByteArray());
        Map<String, Object> answer = r.body().length == 0 ? Map.of() : AgentProtocol.JSON.readValue(r.body(), Map.class);
        check(r.statusCode(), answer);
        return answer;
    }

    /** POSTs a binary events body ({@link EventFrames}, its pieces in order); returns the answer's JSON object. */
    Map<String, Object> postEvents(String path, String session, List<byte[]> body, Duration timeout) throws IOException, InterruptedException {
        HttpRequest req = request(path, session, timeout).header("Content-Type", EventFrames.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(body)).build();
        return exchange(req);
    }

    /** GETs a JSON object. */
    Map<String, Object> get(String path, String session, Duration timeout) throws IOException, InterruptedException {
        return exchange(request(path, session, timeout).GET().build());
    }

    /** Sends {@code req} on the JSON client; returns the answer's JSON object, or throws {@link Status} for an error status. */
    private Map<String, Object> exchange(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = json.send(req, HttpResponse.BodyHandlers.ofByteArray());
        Map<String, Object> answer = parse(r.body());
        check(r.statusCode(), answer);
        return answer;
    }

    /** GETs a stream of bytes (a plugin jar); the caller closes it. */
    InputStream download(String path, String session) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(request(path, session, Duration.ofHours(1)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readAllBytes();
            }
            check(r.statusCode(), parse(body));
        }
        return r.body();
    }

    /** Opens a task's input from byte {@code offset} (0: from the start). */
    InputStream input(String taskId, String session, long offset) throws IOException, InterruptedException {
        HttpRequest.Builder b = request("tasks/" + taskId + "/input", session, Duration.ofDays(1)).GET();
        if (offset > 0) {
            b.header("Range", "bytes=" + offset + "-");
        }
        HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200 && r.statusCode() != 206) {
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readAllBytes();
            }
            check(r.statusCode(), parse(body));
        }
        return r.body();
    }

    /**
     * Uploads a task's output from {@code source} (read to its end), which starts at byte
     * {@code offset} of the whole output; returns once the controller took it.
     */
    void output(String taskId, String session, InputStream source, long offset) throws IOException, InterruptedException {
        HttpRequest.Builder b = request("tasks/" + taskId + "/output", session, Duration.ofDays(1))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> source));
        if (offset > 0) {
            b.header("Content-Range", "bytes " + offset + "-*/*");
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        check(r.statusCode(), parse(r.body()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(byte[] body) {
        try {
            return body.length == 0 ? Map.of() : AgentProtocol.JSON.readValue(body, Map.class);
        } catch (IOException e) {
            return Map.of("message", new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static void check(int status, Map<String, Object> json) throws Status {
        if (status >= 300) {
            Object message = json.get("message");
            throw new Status(status, String.valueOf(json.get("code")), "HTTP " + status + ": " + (message == null ? "no message" : message));
        }
    }
}
