package dev.gantry.engine.web.api;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Enforces the request body limit before and while reading: a declared Content-Length over the
 * limit is refused before a byte is read, and a chunked body fails as soon as it passes it, so a
 * huge upload never fills the heap.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
final class BodyLimit implements ContainerRequestFilter {
    private final long maxBytes;

    BodyLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("api/agent/v1/tasks/") && path.endsWith("/output")) {
            return; // an agent's streamed file upload (a stash, an artifact): no size limit
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = Long.MAX_VALUE;
            }
            if (declared > maxBytes) {
                request.abortWith(ErrorMapper.closing(Response.status(413).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(ErrorMapper.error("payload_too_large", message(maxBytes))).build()));
                return;
            }
        }
        request.setEntityStream(new Limited(request.getEntityStream(), maxBytes));
    }

    static String message(long maxBytes) {
        return "the request body is larger than the limit of " + maxBytes + " bytes";
    }

    /** Thrown by the limited stream; {@link JsonBody} turns it into a 413. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long max) {
            super(message(max));
        }
    }

    private static final class Limited extends FilterInputStream {
        private final long max;
        private long read;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count(s);
            return s;
        }

        private void count(long n) throws TooLarge {
            read += n;
            if (read > max) {
                throw new TooLarge(max);
            }
        }
    }
}
