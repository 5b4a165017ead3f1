package dev.gantry.engine.web.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.io.IOException;
import java.io.InputStream;

/**
 * An error answer to a request whose body was not read (refused with 401 or 403, a bad name)
 * first reads what is left of the body, up to 1 MiB: Jetty closes a connection with unread bytes
 * on it, and closing a socket with unread data resets it, which can destroy the answer before the
 * client reads it ("header parser received no bytes"). A bigger body is not read (nobody makes the
 * controller read megabytes by sending them) and the answer says {@code Connection: close}, as it
 * does for a 413 and for a client that waits for "100 Continue" (it has sent nothing yet).
 */
final class CloseAfterRefusal implements ContainerResponseFilter {
    private static final int MAX_DRAIN = 1 << 20;

    @Override
    public void filter(ContainerRequestContext req, ContainerResponseContext res) {
        if (res.getStatus() < 400 || !(req.getLength() > 0 || req.getHeaderString("Transfer-Encoding") != null)) {
            return;
        }
        String expect = req.getHeaderString("Expect");
        if (res.getStatus() == 413 || (expect != null && expect.toLowerCase(java.util.Locale.ROOT).contains("100-continue"))) {
            // Too big to read, or a client waiting for "100 Continue" before it sends the body
            // (reading would ask for it): answer and close, no bytes are on their way.
            res.getHeaders().putSingle("Connection", "close");
            return;
        }
        boolean drained;
        try {
            drained = drained(req.getEntityStream());
        } catch (RuntimeException e) {
            // the resource read the body already and Jersey closed its stream: nothing is left
            drained = true;
        }
        if (!drained) {
            res.getHeaders().putSingle("Connection", "close");
        }
    }

    /** Reads the rest of {@code in}; false when more than {@link #MAX_DRAIN} bytes were left or it failed. */
    private static boolean drained(InputStream in) {
        if (in == null) {
            return true;
        }
        byte[] buf = new byte[8192];
        long read = 0;
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                read += n;
                if (read > MAX_DRAIN) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
