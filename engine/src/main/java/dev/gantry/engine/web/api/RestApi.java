package dev.gantry.engine.web.api;

import dev.gantry.engine.agent.AgentProtocolResource;
import dev.gantry.engine.agent.AgentService;
import dev.gantry.engine.agent.AgentsResource;
import dev.gantry.engine.security.Security;
import dev.gantry.engine.security.SecurityApi;
import dev.gantry.engine.server.BuildControl;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.web.Metrics;
import java.util.Objects;
import org.glassfish.jersey.CommonProperties;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * Builds the Jersey application of the REST API: resources and providers registered explicitly,
 * every class-path scanning feature (WADL, auto-discovery, META-INF/services) switched off so that
 * start-up stays fast and the set of endpoints is exactly what is registered here.
 */
public final class RestApi {
    private RestApi() {
    }

    /** Serialises {@code value} as the API does (for errors answered outside Jersey). */
    public static byte[] toJson(Object value) {
        try {
            return JsonBody.MAPPER.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /**
     * The application for {@code controller}.
     *
     * @param metrics where {@code GET /metrics} reads from; not null
     * @param maxBodyBytes the largest request body accepted (413 above); positive
     */
    public static ResourceConfig create(Controller controller, Metrics metrics, long maxBodyBytes) {
        return create(controller, metrics, maxBodyBytes, null);
    }

    /**
     * The application for {@code controller}, with the agent administration ({@code /api/v1/agents})
     * and the agent protocol ({@code /api/agent/v1}) when {@code agents} is not null.
     */
    public static ResourceConfig create(Controller controller, Metrics metrics, long maxBodyBytes, AgentService agents) {
        return create(controller, metrics, maxBodyBytes, agents, Security.inMemory());
    }

    /**
     * The application for {@code controller}, every resource method behind {@code security}'s
     * access filter (docs/security.md); see {@link #create(Controller, Metrics, long, AgentService)}.
     */
    public static ResourceConfig create(Controller controller, Metrics metrics, long maxBodyBytes, AgentService agents, Security security) {
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(metrics, "metrics");
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
        }
        ResourceConfig rc = new ResourceConfig();
        rc.setApplicationName("gantry");
        rc.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        rc.property(CommonProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true);
        rc.property(CommonProperties.METAINF_SERVICES_LOOKUP_DISABLE, true);
        rc.property(CommonProperties.JSON_PROCESSING_FEATURE_DISABLE, true);
        rc.property(CommonProperties.MOXY_JSON_FEATURE_DISABLE, true);
        rc.property(ServerProperties.BV_FEATURE_DISABLE, true);
        // The default providers for images, XML sources and data sources load java.desktop and
        // JAXP classes at start-up; the API reads and writes only JSON, text and streams.
        rc.property(CommonProperties.PROVIDER_DEFAULT_DISABLE, "ALL");
        rc.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        rc.property(ServerProperties.PROCESSING_RESPONSE_ERRORS_ENABLED, true);
        rc.property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);
        // Resource classes with an injected controller rather than registered instances: Jersey
        // logs a spurious warning for every resource instance (eclipse-ee4j/jersey#3700).
        rc.register(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(controller).to(Controller.class);
                bind(metrics).to(Metrics.class);
                // Suspended responses (log streams, agents' long polls): Jersey finds this through
                // META-INF/services, which is off here, so it is bound by hand.
                bind(new org.glassfish.jersey.servlet.async.AsyncContextDelegateProviderImpl())
                        .to(org.glassfish.jersey.servlet.spi.AsyncContextDelegateProvider.class);
                if (agents != null) {
                    bind(agents).to(AgentService.class);
                }
                if (controller instanceof BuildControl control) {
                    bind(control).to(BuildControl.class);
                }
            }
        });
        if (agents != null) {
            rc.register(AgentsResource.class);
            rc.register(AgentProtocolResource.class);
        }
        rc.register(new CloseAfterRefusal());
        rc.register(JobsResource.class);
        rc.register(LogsResource.class);
        rc.register(OpsResource.class);
        if (controller instanceof BuildControl) {
            rc.register(BuildActionsResource.class);
            rc.register(AdminResource.class);
        }
        rc.register(PluginsResource.class);
        rc.register(FoldersResource.class);
        rc.register(NotificationsResource.class);
        rc.register(CredentialsResource.class);
        rc.register(ScriptApprovalsResource.class);
        rc.register(ScmResource.class);
        rc.register(ReportsResource.class);
        rc.register(new JsonBody());
        rc.register(new ErrorMapper());
        rc.register(new BodyLimit(maxBodyBytes));
        SecurityApi.register(rc, security);
        return rc;
    }
}
