package dev.gantry.api.build;

import org.apiguardian.api.API;

/**
 * Compiles and runs another pipeline script in the same build and sandbox ({@code load}).
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface ScriptLoader {

    /**
     * Runs {@code text} and returns the script object, whose functions the caller can invoke.
     *
     * @param fileName the name used in error messages (file:line:column)
     */
    Object load(String fileName, String text);
}
