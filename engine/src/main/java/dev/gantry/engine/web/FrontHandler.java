package dev.gantry.engine.web;

import java.nio.ByteBuffer;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;

/**
 * The first handler of every request: counts requests by method and status for /metrics, refuses
 * URIs that break {@link #URI_COMPLIANCE} and paths with dot segments in any spelling ({@code ..},
 * {@code %2e%2e}, {@code .%2E}) before Jetty's normalisation could quietly turn {@code jobs/a/../b}
 * into {@code jobs/b}, and reads what is left of a request body before the exchange completes.
 */
final class FrontHandler extends Handler.Wrapper {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    /**
     * The URIs accepted: Jetty's default, plus an encoded '/' so that it can be part of a job name
     * (see JobsResource). Every other ambiguity is refused, as are dot segments in any spelling.
     */
    static final UriCompliance URI_COMPLIANCE = UriCompliance.DEFAULT.with("gantry", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR);

    private final Metrics.Counter requests;
    private final Metrics.Histogram durations;

    FrontHandler(Handler next, Metrics metrics) {
        super(next);
        this.requests = metrics.counter("http_requests_total", "HTTP requests answered, by method and status.", "method", "status");
        this.durations = metrics.histogram("http_request_duration_seconds", "Time to answer HTTP requests, by method.", Metrics.DEFAULT_BUCKETS, "method");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long start = System.nanoTime();
        String method = METHODS.contains(request.getMethod()) ? request.getMethod() : "OTHER";
        Callback counting = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                record();
                if (response.getHeaders().contains(HttpHeader.CONNECTION, "close") || request.getHeaders().contains(HttpHeader.EXPECT, "100-continue")) {
                    // closing anyway, or a client that sends its body only after "100 Continue"
                    super.succeeded();
                } else {
                    new Drain(request, getCallback()).run();
                }
            }

            @Override
            public void failed(Throwable x) {
                record();
                super.failed(x);
            }

            private void record() {
                requests.inc(method, Integer.toString(response.getStatus()));
                durations.observe((System.nanoTime() - start) / 1e9, method);
            }
        };
        String why = UriCompliance.checkUriCompliance(URI_COMPLIANCE, request.getHttpURI(), null);
        if (why == null) {
            why = dotSegment(request.getHttpURI().getPath());
        }
        if (why != null) {
            byte[] body = JsonErrorHandler.body(400, why);
            response.setStatus(400);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(body), counting);
            return true;
        }
        return super.handle(request, response, counting);
    }

    /**
     * What is left unread of a request body when its answer is complete, read (up to
     * {@link WebServer#MAX_UNREAD_BODY_BYTES}, without blocking a thread) before the exchange completes. Jetty
     * closes a connection whose request body was not read, and closing a socket with unread bytes
     * in it resets the connection, which can destroy the answer before the client has read it
     * ("header parser received no bytes"). This covers every refusal made before the body was read,
     * wherever it was made (Jetty's servlet layer, this handler, Jersey). A body beyond the limit
     * is left to Jetty's close: nobody makes the controller read megabytes by sending them.
     */
    private static final class Drain implements Runnable {
        private final Request request;
        private final Callback done;
        private long read;

        Drain(Request request, Callback done) {
            this.request = request;
            this.done = done;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                read += chunk.remaining();
                chunk.release();
                if (chunk.isLast() || Content.Chunk.isFailure(chunk) || read > WebServer.MAX_UNREAD_BODY_BYTES) {
                    done.succeeded();
                    return;
                }
            }
        }
    }

    /** Why the raw (still encoded) path is refused, or null. */
    static String dotSegment(String rawPath) {
        if (rawPath == null) {
            return null;
        }
        if (rawPath.indexOf(';') >= 0) {
            return "the path contains ';': path parameters are not supported, and ';' cannot be part of a job name";
        }
        for (String segment : rawPath.split("/", -1)) {
            if (segment.indexOf('.') < 0 && segment.indexOf('%') < 0) {
                continue;
            }
            String decoded;
            try {
                decoded = URIUtil.decodePath(segment);
            } catch (RuntimeException e) {
                return "the path has an invalid percent-encoding in segment '" + segment + "'";
            }
            for (String part : decoded.split("[/\\\\]", -1)) {
                if (part.equals(".") || part.equals("..")) {
                    return "the path has a '" + part + "' segment (here spelled '" + segment + "'); relative segments are not allowed";
                }
            }
        }
        return null;
    }
}
