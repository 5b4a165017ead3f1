package dev.gantry.api.security;

import dev.gantry.api.extension.GantryExtensionPoint;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Checks a user name and password somewhere other than Gantry's own user table (LDAP, a company
 * directory; an OIDC plugin can add its login pages on top). Contributed by a plugin as an
 * {@code @Extension}. The controller asks its local users first, then each started provider in
 * load order, for the login page and for HTTP Basic with a password; the first provider that
 * answers a user wins. API tokens are always Gantry's own.
 *
 * <p>What a user may do is never the provider's business: roles are granted to the returned
 * {@link AuthenticatedUser#name()} in Gantry, like to a local user. Failed attempts are throttled
 * and written to the audit log by the controller before a provider is asked.
 *
 * <p><b>Threading.</b> Called on request threads, concurrently: thread-safe. It may block on the
 * network; keep it under a few seconds, since the request waits.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface IdentityProvider extends GantryExtensionPoint {

    /** A short name for logs and the audit log ({@code ldap}, {@code oidc}). */
    String id();

    /**
     * Checks the credentials.
     *
     * @param username as typed; not null
     * @param password as typed; not null; never log or keep it
     * @return the user when the credentials are right; empty when this provider does not know the
     *     user or the password is wrong (the controller does not tell the two apart to the client)
     * @throws java.io.IOException when the provider cannot be reached; the login fails, naming the provider
     */
    Optional<AuthenticatedUser> authenticate(String username, String password) throws java.io.IOException;

    /**
     * A user a provider vouches for.
     *
     * @param name the user name roles are granted to; 1 to 100 characters of {@code A-Z a-z 0-9 . _ @ -}
     * @param displayName for pages; may equal {@code name}
     */
    record AuthenticatedUser(String name, String displayName) {
        public AuthenticatedUser {
            java.util.Objects.requireNonNull(name, "name");
            displayName = displayName == null ? name : displayName;
        }
    }
}
