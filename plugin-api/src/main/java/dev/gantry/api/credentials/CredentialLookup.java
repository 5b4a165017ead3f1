package dev.gantry.api.credentials;

import java.util.NoSuchElementException;
import org.apiguardian.api.API;

/**
 * Resolves credentials for the current build, with the build's permissions: obtained from
 * {@code StepContext.service(CredentialLookup.class)}. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface CredentialLookup {

    /**
     * The credential with this id, visible to the build's job.
     *
     * @throws NoSuchElementException naming the id (and the job) when there is none it may use
     */
    Credential find(String credentialsId);
}
