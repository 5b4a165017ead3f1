package dev.gantry.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small client of the controller's REST API for the CLI: JSON in and out, errors as messages. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final URI base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ApiClient(String url) {
        this(url, null);
    }

    /**
     * @param credentials {@code USER:PASSWORD} or {@code USER:TOKEN}, sent as HTTP Basic with every
     *     request; null to send none
     */
    ApiClient(String url, String credentials) {
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.authorization = credentials == null ? null
                : "Basic " + java.util.Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** A request to {@code path} with the credentials. */
    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    /** The path of a job: each part percent-encoded, slashes between folders kept. */
    static String jobPath(String job) {
        return "api/v1/jobs/" + segments(job);
    }

    /** Each {@code /}-separated part percent-encoded, the slashes kept (job names, step ids). */
    static String segments(String s) {
        StringBuilder sb = new StringBuilder();
        for (String part : s.split("/", -1)) {
            sb.append(sb.length() == 0 ? "" : "/").append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    /** A failed call: the HTTP status and the server's message. */
    static final class ApiException extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient JsonNode body;

        ApiException(int status, String message, JsonNode body) {
            super(message);
            this.status = status;
            this.body = body;
        }
    }

    JsonNode call(String method, String path, Object body) throws IOException, InterruptedException, ApiException {
        HttpRequest.Builder b = request(path).timeout(Duration.ofSeconds(60));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> r = send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = r.body().length == 0 ? null : parse(r.body());
        if (r.statusCode() >= 400) {
            String msg = json != null && json.hasNonNull("message") ? json.get("message").asText() : new String(r.body(), StandardCharsets.UTF_8);
            throw new ApiException(r.statusCode(), "HTTP " + r.statusCode() + ": " + msg + hint(r.statusCode()), json);
        }
        return json;
    }

    /** What to do about a 401: the CLI's side of it. */
    private String hint(int status) {
        return status != 401 ? "" : authorization == null
                ? " (pass --auth USER:TOKEN, --auth @FILE or set GANTRY_AUTH; create a token with 'gantry token create')"
                : " (check --auth / GANTRY_AUTH)";
    }

    /** POSTs a file as the raw request body (a plugin jar) and returns the JSON answer. */
    JsonNode upload(String path, java.nio.file.Path file, String contentType) throws IOException, InterruptedException, ApiException {
        HttpRequest req = request(path).timeout(Duration.ofSeconds(300))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofFile(file)).build();
        HttpResponse<byte[]> r = send(req, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = r.body().length == 0 ? null : parse(r.body());
        if (r.statusCode() >= 400) {
            String msg = json != null && json.hasNonNull("message") ? json.get("message").asText() : new String(r.body(), StandardCharsets.UTF_8);
            throw new ApiException(r.statusCode(), "HTTP " + r.statusCode() + ": " + msg, json);
        }
        return json;
    }

    /** GETs a stream (a log); the caller closes it. Returns the response for its headers. */
    HttpResponse<InputStream> stream(String path) throws IOException, InterruptedException, ApiException {
        return stream(path, java.util.Map.of());
    }

    /** GETs a stream with request headers ({@code Accept}, {@code Last-Event-ID}); the caller closes it. */
    HttpResponse<InputStream> stream(String path, java.util.Map<String, String> headers) throws IOException, InterruptedException, ApiException {
        HttpRequest.Builder b = request(path).GET();
        headers.forEach(b::header);
        HttpResponse<InputStream> r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() >= 400) {
            byte[] body;
            try (InputStream in = r.body()) {
                body = in.readAllBytes();
            }
            JsonNode json = body.length == 0 ? null : parse(body);
            throw new ApiException(r.statusCode(), "HTTP " + r.statusCode() + ": "
                    + (json != null && json.hasNonNull("message") ? json.get("message").asText() : new String(body, StandardCharsets.UTF_8)), json);
        }
        return r;
    }

    /**
     * POSTs without a body and streams the answer into {@code target} (created or replaced);
     * returns the bytes written.
     */
    long postToFile(String path, java.nio.file.Path target) throws IOException, InterruptedException, ApiException {
        HttpRequest req = request(path).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<InputStream> r = send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() >= 400) {
                byte[] body = in.readAllBytes();
                JsonNode json = body.length == 0 ? null : parse(body);
                throw new ApiException(r.statusCode(), "HTTP " + r.statusCode() + ": "
                        + (json != null && json.hasNonNull("message") ? json.get("message").asText() : new String(body, StandardCharsets.UTF_8)), json);
            }
            return java.nio.file.Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        try {
            return http.send(req, handler);
        } catch (ConnectException e) {
            throw new IOException("cannot reach the controller at " + base + " (is gantry server running? use --url)", e);
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
