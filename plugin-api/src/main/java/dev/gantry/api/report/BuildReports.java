package dev.gantry.api.report;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The reports of the current build: obtained by a step from
 * {@code StepContext.service(BuildReports.class)}. Thread-safe; parallel branches may attach at
 * once.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface BuildReports {

    /**
     * Attaches a report, replacing one of the same kind and name. Stored when the build ends
     * (and, on a controller, as it runs).
     *
     * @throws IllegalArgumentException when {@code data} holds something that is not JSON-friendly
     */
    void attach(BuildReport report);

    /** The reports attached so far, in the order attached. */
    List<BuildReport> list();
}
