package dev.gantry.api.credentials;

import dev.gantry.api.extension.GantryExtensionPoint;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A kind of credential the controller can store (username with password, secret text, SSH
 * private key, a cloud provider's key pair, ...): its fields, which of them are secret, and how
 * they are checked. The engine stores secret fields encrypted and never shows them again.
 * Contributed by a plugin as an {@code @Extension}.
 *
 * <p><b>Lifecycle and threading.</b> One instance per started plugin; read on request threads
 * when credentials are created or shown: thread-safe, no blocking.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface CredentialType extends GantryExtensionPoint {

    /** The type's id, stored with each credential ({@code usernamePassword}, {@code sshUserPrivateKey}). */
    String id();

    /** A name for the UI. */
    String displayName();

    /** The fields, in the order a form shows them. */
    List<Field> fields();

    /**
     * One field of the type.
     *
     * @param name the field's name ({@code username}, {@code password})
     * @param secret whether it is kept encrypted and masked in logs
     * @param required whether a credential must have it
     * @param help one sentence for the form
     */
    record Field(String name, boolean secret, boolean required, String help) {
    }
}
