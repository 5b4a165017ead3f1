package dev.gantry.engine.web.api;

import dev.gantry.engine.web.WebServer;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.io.IOException;
import java.io.InputStream;

/**
 * An error answer to a request whose body may be left unread (refused with 401 or 403, a bad name)
 * says {@code Connection: close} when the connection cannot stay open: a body bigger than
 * {@link WebServer#MAX_UNREAD_BODY_BYTES} is not read (nobody makes the controller read megabytes
 * by sending them), nor is one after a 413 or from a client that waits for "100 Continue" (it has
 * sent nothing yet). The body itself is read by FrontHandler once the answer is complete (Jetty
 * closes a connection with unread bytes on it, and closing a socket with unread data resets it);
 * only a body of unknown length is read here, as that is the only way to learn whether it is too big.
 */
final class CloseAfterRefusal implements ContainerResponseFilter {
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
        if (req.getLength() >= 0 && req.getLength() <= WebServer.MAX_UNREAD_BODY_BYTES) {
            return; // FrontHandler reads it, without holding this thread
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

    /** Reads the rest of {@code in}; false when more than {@link WebServer#MAX_UNREAD_BODY_BYTES} bytes were left or it failed. */
    private static boolean drained(InputStream in) {
        if (in == null) {
            return true;
        }
        byte[] buf = new byte[8192];
        long read = 0;
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                read += n;
                if (read > WebServer.MAX_UNREAD_BODY_BYTES) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
