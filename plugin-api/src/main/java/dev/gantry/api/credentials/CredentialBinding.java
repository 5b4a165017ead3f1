package dev.gantry.api.credentials;

import dev.gantry.api.extension.GantryExtensionPoint;
import dev.gantry.api.workspace.Workspace;
import java.io.IOException;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * How {@code withCredentials([...])} exposes a credential to the steps in its body: the binding
 * {@link #symbol()} ({@code usernamePassword}, {@code string}, {@code file}, {@code sshUserPrivateKey})
 * with its arguments ({@code usernameVariable: 'U'}) turns a credential into environment
 * variables, possibly writing a file into the workspace. The engine masks every secret value in
 * the log and calls {@link #unbind} when the body ends, however it ends.
 * Contributed by a plugin as an {@code @Extension}.
 *
 * <p><b>Lifecycle and threading.</b> One instance per started plugin, shared: stateless. Called
 * on the build's thread.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface CredentialBinding extends GantryExtensionPoint {

    /** The name used inside {@code withCredentials([...])}. */
    String symbol();

    /**
     * Binds a credential.
     *
     * @param credential the resolved credential named by the binding's {@code credentialsId}
     * @param arguments the binding's other arguments, as written in the pipeline
     * @param workspace the body's workspace, for bindings that write files; null outside a node
     * @return the variables to set for the body, by name
     * @throws IllegalArgumentException naming the argument when the arguments do not fit
     */
    Map<String, String> bind(Credential credential, Map<String, Object> arguments, Workspace workspace) throws IOException;

    /** Removes what {@link #bind} wrote (temporary key files); the default does nothing. */
    default void unbind(Map<String, String> bound, Workspace workspace) throws IOException {
    }
}
