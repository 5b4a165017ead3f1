package dev.gantry.api.build;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The artifacts of one build, kept after the build ends. Paths are relative, with {@code /};
 * anything that would escape the store is rejected. Thread-safe.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface ArtifactStore {

    /** Stores {@code content} as the artifact {@code path}, replacing one of the same path. */
    void store(String path, InputStream content) throws IOException;

    /** Records a fingerprint (hex digest) for an archived artifact. */
    void fingerprint(String path, String algorithm, String hexDigest);

    /** The paths stored so far, sorted. */
    List<String> list();
}
