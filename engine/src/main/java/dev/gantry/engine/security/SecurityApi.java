package dev.gantry.engine.security;

import java.util.Objects;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * Adds security to the REST application: the access filter in front of every resource method, the
 * login, user, token and audit resources, and the {@link Security} they share.
 */
public final class SecurityApi {
    private SecurityApi() {
    }

    /**
     * Registers security on {@code rc}.
     *
     * @param security the controller's; not null
     */
    public static void register(ResourceConfig rc, Security security) {
        Objects.requireNonNull(security, "security");
        rc.register(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(security).to(Security.class);
            }
        });
        rc.register(new AccessFilter(security));
        rc.register(UsersResource.class);
        rc.register(LoginResource.class);
    }
}
