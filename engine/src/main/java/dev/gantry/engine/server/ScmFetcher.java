package dev.gantry.engine.server;

import dev.gantry.engine.jobs.ScmSource;
import java.io.IOException;

/**
 * Fetches the pipeline of a job whose script lives in SCM, when one of its builds starts. The git
 * plugin (issue 04) provides one; without it such builds fail with a message saying so.
 */
@FunctionalInterface
public interface ScmFetcher {
    /**
     * @return the pipeline's text
     * @throws IOException when it cannot be fetched; the message ends up in the build's log
     */
    String fetch(String job, ScmSource scm) throws IOException;
}
