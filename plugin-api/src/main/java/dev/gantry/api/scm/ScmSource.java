package dev.gantry.api.scm;

import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Where a job's code comes from, as configured on the job or given to a checkout step:
 * the provider's {@link ScmProvider#type() type} and its settings ({@code url}, {@code branch},
 * {@code credentialsId}, {@code scriptPath}, ... as that provider documents them).
 *
 * @param type the provider type, e.g. {@code git}
 * @param settings the provider's settings, JSON-friendly values; immutable
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ScmSource(String type, Map<String, Object> settings) {
    public ScmSource {
        Objects.requireNonNull(type, "type");
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    /** A setting as text, or null when absent. */
    public String setting(String name) {
        Object v = settings.get(name);
        return v == null ? null : v.toString();
    }
}
