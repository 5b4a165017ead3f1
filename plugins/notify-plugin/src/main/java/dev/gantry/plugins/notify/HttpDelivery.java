package dev.gantry.plugins.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Sends one HTTP request to a notification endpoint, trying again with exponential backoff when
 * the endpoint cannot be reached or answers 429 or 5xx, and never putting a secret into a
 * message. Thread-safe: one shared client.
 */
final class HttpDelivery {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Response bodies kept for the step's return value and messages. */
    static final int MAX_BODY = 4096;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private HttpDelivery() {
    }

    /**
     * An HTTP request.
     *
     * @param target how messages name the endpoint (never a secret URL: "the webhook of credential 'x'")
     */
    record Request(String method, String url, Map<String, String> headers, byte[] body, String target) {
    }

    /** What the endpoint answered; {@code body} is cut to {@link #MAX_BODY} characters. */
    record Response(int status, String body, int attempts) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", status >= 200 && status < 300);
            m.put("status", status);
            m.put("body", body);
            m.put("attempts", attempts);
            return m;
        }
    }

    /** A delivery that failed for good; its message names the endpoint and is free of secrets. */
    static final class DeliveryException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        DeliveryException(String message, int status) {
            super(message);
            this.status = status;
        }

        /** The last HTTP status, or 0 when the endpoint never answered. */
        int status() {
            return status;
        }
    }

    /**
     * Sends the request, retrying as the policy says.
     *
     * @param log told of each failed attempt (secrets masked); may be null
     * @return the 2xx response
     * @throws DeliveryException when every attempt failed or the endpoint refused the request (4xx
     *     other than 429, not retried), with a message free of secrets
     * @throws InterruptedException when interrupted while waiting between attempts
     */
    static Response send(Request request, RetryPolicy policy, Redactor redactor, Consumer<String> log)
            throws DeliveryException, InterruptedException {
        HttpRequest http;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(request.url()))
                    .timeout(REQUEST_TIMEOUT)
                    .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(request.body()));
            request.headers().forEach(b::header);
            http = b.build();
        } catch (IllegalArgumentException e) {
            throw new DeliveryException("cannot send to " + request.target() + ": the URL is not valid ("
                    + redactor.describe(e) + ")", 0);
        }
        String last = null;
        int lastStatus = 0;
        int attempts = policy.retries() + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                Thread.sleep(policy.backoff(attempt - 1));
            }
            try {
                HttpResponse<String> r = CLIENT.send(http, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                String body = redactor.redact(cut(r.body()));
                lastStatus = r.statusCode();
                if (lastStatus >= 200 && lastStatus < 300) {
                    return new Response(lastStatus, body, attempt);
                }
                last = "HTTP " + lastStatus + (body.isBlank() ? "" : ": " + oneLine(body));
                if (lastStatus != 429 && lastStatus < 500) {
                    throw new DeliveryException(request.target() + " refused the request with " + last
                            + " (not retried: check the URL, the credentials and the payload)", lastStatus);
                }
            } catch (DeliveryException e) {
                throw e;
            } catch (IOException e) {
                last = redactor.describe(e);
                lastStatus = 0;
            }
            if (log != null && attempt < attempts) {
                log.accept("attempt " + attempt + " of " + attempts + " to reach " + request.target() + " failed (" + last
                        + "); trying again in " + policy.backoff(attempt) + " ms");
            }
        }
        throw new DeliveryException("cannot deliver to " + request.target() + " after " + attempts
                + (attempts == 1 ? " attempt" : " attempts") + ": " + last, lastStatus);
    }

    private static String cut(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_BODY ? s : s.substring(0, MAX_BODY) + "...";
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() <= 200 ? t : t.substring(0, 200) + "...";
    }

    /** How a plain (not secret) URL is named in messages: without its query, which may hold a token. */
    static String describeUrl(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getHost() == null) {
                return "'" + url.replaceAll("[?#].*", "") + "'";
            }
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (IllegalArgumentException e) {
            return "'" + url.replaceAll("[?#].*", "") + "'";
        }
    }
}
