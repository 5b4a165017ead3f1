package dev.gantry.api.step;

import dev.gantry.api.workspace.Workspace;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * How the context of a {@link Body} differs from its caller's: environment overrides (a null
 * value removes a variable), a different workspace or directory, a new stage in the stage graph,
 * time-stamped lines, and a cancellation scope (see {@link StepContext#newCancellation()}). Immutable.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ContextChange {
    /** No change at all. */
    public static final ContextChange NONE = new ContextChange(Map.of(), null, null, null, false);

    private final Map<String, String> environment;
    private final Workspace workspace;
    private final String stage;
    private final Cancellation cancellation;
    private final boolean timestamps;

    private ContextChange(Map<String, String> environment, Workspace workspace, String stage,
                          Cancellation cancellation, boolean timestamps) {
        this.environment = environment;
        this.workspace = workspace;
        this.stage = stage;
        this.cancellation = cancellation;
        this.timestamps = timestamps;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Variables to set (or, with a null value, remove) for the body; never null. */
    public Map<String, String> environment() { return environment; }

    /** The workspace (or directory within it) the body runs in, or null to keep the caller's. */
    public Workspace workspace() { return workspace; }

    /** The name of a stage the body forms, or null. */
    public String stage() { return stage; }

    /** The cancellation scope the body runs in, or null to keep the caller's. */
    public Cancellation cancellation() { return cancellation; }

    /** Whether console lines written by the body get a time prefix. */
    public boolean timestamps() { return timestamps; }

    /** Builds a {@link ContextChange}. */
    public static final class Builder {
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Workspace workspace;
        private String stage;
        private Cancellation cancellation;
        private boolean timestamps;

        public Builder env(String name, String value) { environment.put(name, value); return this; }

        public Builder env(Map<String, String> values) { environment.putAll(values); return this; }

        public Builder workspace(Workspace ws) { this.workspace = ws; return this; }

        public Builder stage(String name) { this.stage = name; return this; }

        public Builder cancellation(Cancellation c) { this.cancellation = c; return this; }

        /** Time-stamps the body's console lines. */
        public Builder timestamps() { this.timestamps = true; return this; }

        public ContextChange build() {
            return new ContextChange(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment)),
                    workspace, stage, cancellation, timestamps);
        }
    }
}
