package dev.gantry.api.report;

import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Data a plugin attaches to a build: test results, findings of a scanner, a deployment, a
 * coverage figure. Kept with the build and served by the REST API under
 * {@code /api/v1/jobs/{job}/builds/{n}/reports/{kind}/{name}}; a {@link dev.gantry.api.ui.BuildPanel}
 * may show it.
 *
 * @param kind what sort of report it is, qualified by the plugin id ({@code scanner:findings})
 * @param name distinguishes several reports of one kind in a build ({@code unit}, {@code integration})
 * @param summary a few figures for lists and badges ({@code "critical": 2}); JSON-friendly; immutable
 * @param data the full report, JSON-friendly (null, Boolean, Number, String, List, Map); immutable
 *     as far as the caller is concerned
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record BuildReport(String kind, String name, Map<String, Object> summary, Object data) {
    public BuildReport {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        summary = summary == null ? Map.of() : Map.copyOf(summary);
    }
}
