package dev.gantry.engine.web;

import dev.gantry.engine.security.Security;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.web.api.RestApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The controller's HTTP server: an embedded Jetty hosting the Jersey REST API ({@code /api/v1}),
 * {@code /health}, {@code /ready}, {@code /metrics} and the web UI ({@code /}, see
 * {@link dev.gantry.engine.web.ui.WebUi}). Started once per controller process and
 * closed on shutdown; stopping waits for requests in flight for a few seconds.
 */
public final class WebServer implements AutoCloseable {
    /** The default largest request body: 10 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    /**
     * The most of a request body left unread by its answer that the controller still reads
     * (FrontHandler, and CloseAfterRefusal which says {@code Connection: close} beyond it), so that
     * the connection stays open; nobody makes the controller read megabytes by sending them.
     */
    public static final long MAX_UNREAD_BODY_BYTES = 1 << 20;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;

    private final Server server;
    private final ServerConnector connector;
    private final Metrics metrics;
    private final String scheme;

    private WebServer(Server server, ServerConnector connector, Metrics metrics, String scheme) {
        this.server = server;
        this.connector = connector;
        this.metrics = metrics;
        this.scheme = scheme;
    }

    /**
     * Starts serving with the default body limit; see {@link #start(Controller, String, int, Metrics, long)}.
     */
    public static WebServer start(Controller controller, String bindAddress, int port, Metrics metrics) throws IOException {
        return start(controller, bindAddress, port, metrics, DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * Starts serving and returns once the port is bound and the API is initialised.
     *
     * @param controller what the API calls; not null
     * @param bindAddress the address to listen on ({@code 127.0.0.1}, {@code 0.0.0.0}, a host name)
     * @param port the TCP port, or 0 for a free one (see {@link #port()})
     * @param metrics the registry behind {@code /metrics}, to which HTTP and JVM metrics are
     *     added; null for a new one (see {@link #metrics()})
     * @param maxBodyBytes the largest request body accepted; larger ones are refused with 413
     *     while being read
     * @throws IOException when the address cannot be bound (in use, unknown host), naming it
     */
    public static WebServer start(Controller controller, String bindAddress, int port, Metrics metrics, long maxBodyBytes) throws IOException {
        return start(controller, bindAddress, port, metrics, maxBodyBytes, null);
    }

    /**
     * Starts serving, with the agent administration and protocol when {@code agents} is not null;
     * see {@link #start(Controller, String, int, Metrics, long)}.
     */
    public static WebServer start(Controller controller, String bindAddress, int port, Metrics metrics, long maxBodyBytes,
                                  dev.gantry.engine.agent.AgentService agents) throws IOException {
        return start(controller, bindAddress, port, metrics, maxBodyBytes, agents, null, null, Security.inMemory());
    }

    /** Starts serving over HTTP with {@code security}; see the overload with every option. */
    public static WebServer start(Controller controller, String bindAddress, int port, Metrics metrics, long maxBodyBytes,
                                  dev.gantry.engine.agent.AgentService agents, Security security) throws IOException {
        return start(controller, bindAddress, port, metrics, maxBodyBytes, agents, null, null, security);
    }

    /**
     * Starts serving with {@code security} guarding every endpoint (users, tokens, sessions, roles;
     * docs/security.md), over HTTPS when {@code tls} is not null, with the web UI's system page
     * showing {@code home} (null: not shown); see {@link #start(Controller, String, int, Metrics, long)}.
     * The overloads without {@code security} use one with no users, so that nothing but health
     * and readiness answers.
     *
     * @throws IOException also when the key store cannot be read or holds no key (named)
     */
    public static WebServer start(Controller controller, String bindAddress, int port, Metrics metrics, long maxBodyBytes,
                                  dev.gantry.engine.agent.AgentService agents, ServerTls tls, java.nio.file.Path home,
                                  Security security) throws IOException {
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        Metrics registry = metrics == null ? new Metrics() : metrics;
        registry.registerJvm();

        // Jetty pads its queues against false sharing and, unless told how many references fit in a
        // cache line, asks the platform MBean server (~0.1 s of start-up). 64-byte lines of 4-byte
        // compressed references; a wrong guess costs a little padding, never correctness.
        if (System.getProperty("org.eclipse.jetty.util.referencesPerCacheLine") == null) {
            System.setProperty("org.eclipse.jetty.util.referencesPerCacheLine", "16");
        }
        QueuedThreadPool threads = new QueuedThreadPool(200, 4);
        threads.setName("gantry-web");
        Server server = new Server(threads);
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
        server.setStopAtShutdown(false);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Jetty's own check of the URI answers before any handler runs, so it cannot read the body
        // of the request it refuses (see FrontHandler.Drain): FrontHandler makes the same check
        // (FrontHandler.URI_COMPLIANCE) as the first handler, and the connection lets every URI through to it.
        http.setUriCompliance(UriCompliance.UNSAFE);
        ServerConnector connector = tls == null ? new ServerConnector(server, 1, 1, new HttpConnectionFactory(http))
                : tls.connector(server, http);
        connector.setHost(bindAddress);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        ServletHolder jersey = new ServletHolder("gantry-api", new ServletContainer(RestApi.create(controller, registry, maxBodyBytes, agents, security)));
        jersey.setInitOrder(0);
        // Log streams (server-sent events) and agents' long polls are suspended requests: no thread waits with them.
        jersey.setAsyncSupported(true);
        context.addServlet(jersey, "/*");
        // The web UI: its own paths (more specific than the API's "/*"), listed in WebUi.
        dev.gantry.engine.web.ui.WebUi.install(context, new dev.gantry.engine.web.ui.WebUi.Services(controller, agents, home, security), maxBodyBytes);
        JsonErrorHandler errors = new JsonErrorHandler();
        context.setErrorHandler(errors);
        server.setErrorHandler(errors);
        server.setHandler(new GracefulHandler(new SecurityHeaders(new FrontHandler(context, registry))));

        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IOException("cannot serve HTTP on " + bindAddress + ":" + port + ": " + e.getMessage()
                    + " (is the port in use, or the address not one of this host's?)", e);
        }
        return new WebServer(server, connector, registry, tls == null ? "http" : "https");
    }

    /** The bound port (the chosen one when started with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port/}, with the loopback address when bound to every address. */
    public URI baseUri() {
        String host = connector.getHost();
        if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
            host = InetAddress.getLoopbackAddress().getHostAddress();
        }
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create(scheme + "://" + host + ":" + port() + "/");
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return scheme;
    }

    /** The registry behind {@code /metrics}. */
    public Metrics metrics() {
        return metrics;
    }

    /**
     * Stops accepting connections, lets requests in flight finish (up to 5 s) and releases the
     * port. Idempotent.
     */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // Requests still open after the grace period (a log stream a browser keeps following)
            // time the graceful part out; Jetty stops everything anyway, as documented above.
            // Jetty goes on stopping every component after the graceful part times out, then
            // reports the stop as failed: the server is down either way.
            if ((server.isStopped() || server.isFailed()) && timedOut(e)) {
                System.getLogger(WebServer.class.getName()).log(System.Logger.Level.INFO,
                        "requests still open after " + STOP_TIMEOUT_MILLIS + " ms (log streams) were closed when the web server stopped");
                return;
            }
            throw new IllegalStateException("stopping the web server on port " + port() + " failed: " + e.getMessage(), e);
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (timedOut(s)) {
                    return true;
                }
            }
        }
        return false;
    }
}
