package dev.gantry.engine.web.ui;

import dev.gantry.engine.agent.AgentService;
import dev.gantry.engine.security.Security;
import dev.gantry.engine.server.Controller;
import jakarta.servlet.MultipartConfigElement;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The web UI: server-rendered pages (precompiled jte templates) on the controller's Jetty,
 * beside the REST API. Every HTTP entry point of the UI is one servlet mapped to the paths in
 * {@link #PATHS}, whose single entry authenticates every request as the REST API does and checks
 * each page's and form's permission (docs/ui.md, "Who sees what").
 */
public final class WebUi {
    /**
     * The servlet mappings of the UI: the root page and its own path prefixes. They are more
     * specific than the REST API's {@code /*}, which keeps every other path. All but
     * {@code /static/*} need a signed-in user, with the permissions of docs/ui.md.
     */
    public static final List<String> PATHS = List.of("", "/job/*", "/folder/*", "/new", "/agents", "/agents/*",
            "/plugins", "/plugins/*", "/system", "/account", "/account/*", "/users", "/users/*", "/credentials", "/credentials/*",
            "/script-approvals", "/script-approvals/*", "/audit", "/static/*");

    /**
     * What the pages read and act on.
     *
     * @param controller jobs, builds and logs; not null
     * @param agents the agents, or null when the controller runs without the agent service
     * @param home the controller's home (shown on the system page), or null when unknown
     * @param security who may see which page and send which form (the REST API's); not null
     */
    public record Services(Controller controller, AgentService agents, Path home, Security security) {
        public Services {
            Objects.requireNonNull(controller, "controller");
            Objects.requireNonNull(security, "security");
        }
    }

    private WebUi() {
    }

    /**
     * Adds the UI servlet to {@code context} under {@link #PATHS}.
     *
     * @param maxBodyBytes the largest form or upload accepted
     */
    public static void install(ServletContextHandler context, Services services, long maxBodyBytes) {
        ServletHolder holder = new ServletHolder("gantry-ui", new UiServlet(services));
        holder.getRegistration().setMultipartConfig(new MultipartConfigElement(
                System.getProperty("java.io.tmpdir"), maxBodyBytes, maxBodyBytes, 1024 * 1024));
        for (String path : PATHS) {
            context.addServlet(holder, path);
        }
    }
}
