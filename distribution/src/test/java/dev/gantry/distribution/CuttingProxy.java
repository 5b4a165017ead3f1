package dev.gantry.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between agents and the controller that drops a connection, once per direction,
 * after a given number of bytes flowed that way on it: a network fault in the middle of a big
 * transfer. Closes with a reset, as a dropped connection looks.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final long cutAfter;
    private final AtomicBoolean cutUp = new AtomicBoolean();
    private final AtomicBoolean cutDown = new AtomicBoolean();
    final AtomicInteger cuts = new AtomicInteger();
    /** Cuts only once armed: an agent's first connections carry other big transfers (plugin jars). */
    private final AtomicBoolean armed = new AtomicBoolean(true);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    CuttingProxy(int targetPort, long cutAfter) throws IOException {
        this.targetPort = targetPort;
        this.cutAfter = cutAfter;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept").start(this::accept);
    }

    /** Whether connections may be cut from now on (they may from the start unless disarmed). */
    void armed(boolean on) {
        armed.set(on);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream, cutUp));
                Thread.ofVirtual().start(() -> pump(upstream, client, cutDown));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicBoolean cutDone) {
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                out.flush();
                total += n;
                if (!armed.get()) {
                    total = 0;
                } else if (total > cutAfter && cutDone.compareAndSet(false, true)) {
                    cuts.incrementAndGet();
                    reset(from);
                    reset(to);
                    return;
                }
            }
            to.shutdownOutput();
        } catch (IOException e) {
            reset(from);
            reset(to);
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException e) {
            // closing a broken socket: it is gone either way
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(CuttingProxy::reset);
    }
}
