package dev.gantry.api.credentials;

import dev.gantry.api.extension.GantryExtensionPoint;
import dev.gantry.api.workspace.Workspace;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * How {@code withCredentials([...])} exposes a credential to the steps in its body: the binding
 * {@link #symbol()} ({@code usernamePassword}, {@code string}, {@code file}, {@code sshUserPrivateKey})
 * with its arguments ({@code usernameVariable: 'U'}) turns a credential into environment
 * variables, possibly writing a file into the workspace. The engine masks every secret value in
 * the log and calls {@link #unbind} when the body ends, however it ends.
 * Contributed by a plugin as an {@code @Extension}; a plugin's binding is called like the
 * built-in ones, {@code withCredentials([mySymbol(credentialsId: 'id', variable: 'V')]) { ... }},
 * in scripted and declarative pipelines. A symbol that is a built-in one, a step's name or an
 * earlier plugin's binding is left out with a warning naming the plugin: qualify yours (as
 * {@code vaultToken}).
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
     * @param arguments the binding's other arguments, as written in the pipeline (without
     *     {@code credentialsId}); immutable
     * @param workspace for bindings that write files (key files, configuration holding a token):
     *     a private directory on the body's node (an agent's too), outside the build's workspace
     *     so that its files are never archived or stashed, readable by the agent's user alone. It
     *     is made on first use and deleted with everything in it when the body ends, however it
     *     ends (at the build's end at the latest). Put the file's absolute path
     *     ({@code workspace.path()} + separator + name) into a variable. Null outside a node.
     * @return the variables to set for the body, by name (names are environment variable names)
     * @throws IllegalArgumentException naming the argument when the arguments do not fit; the
     *     build fails with its message
     */
    Map<String, String> bind(Credential credential, Map<String, Object> arguments, Workspace workspace) throws IOException;

    /**
     * The variables among those {@link #bind} returned whose values are not secret (a file's
     * path, a user name): the log shows them as they are. Every other value bound, and every
     * secret field of the credential, is masked as {@code ****}. The default: none.
     *
     * @param bound what {@link #bind} returned
     */
    default Set<String> publicVariables(Map<String, String> bound) {
        return Set.of();
    }

    /**
     * Undoes what {@link #bind} did outside its {@code workspace} (which the engine deletes
     * itself); the default does nothing. Called once when the body ends, however it ends; a
     * failure is logged as a warning and does not change the build's result.
     *
     * @param bound what {@link #bind} returned
     * @param workspace the same directory {@link #bind} was given, or null
     */
    default void unbind(Map<String, String> bound, Workspace workspace) throws IOException {
    }
}
