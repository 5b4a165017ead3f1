package dev.gantry.engine.pipeline;

import dev.gantry.api.step.BodyKind;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.StepDescriptor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vocabulary of declarative pipelines (as Jenkins' pipeline-model-definition defines it):
 * section, directive, option, condition and symbol names, and the argument specifications of
 * options, parameters, triggers and {@code when} conditions as {@link StepDescriptor}s. The linter
 * validates against these and the runtime interpreter reads the same constants, so both accept
 * exactly the same pipelines. Every set iterates in Jenkins' documented order and is immutable.
 */
public final class DeclarativeGrammar {
    private DeclarativeGrammar() {
    }

    /** Sections allowed directly in {@code pipeline { }}. */
    public static final Set<String> PIPELINE_SECTIONS = ordered("agent", "environment", "options", "parameters",
            "triggers", "tools", "libraries", "stages", "post");

    /** Sections of {@code pipeline { }} that must be present. */
    public static final Set<String> REQUIRED_PIPELINE_SECTIONS = ordered("agent", "stages");

    /** Sections allowed in {@code stage('name') { }}. */
    public static final Set<String> STAGE_SECTIONS = ordered("agent", "environment", "tools", "input", "options",
            "when", "post", "failFast", "steps", "stages", "parallel", "matrix");

    /** A stage has exactly one of these. */
    public static final Set<String> STAGE_BODY_SECTIONS = ordered("steps", "stages", "parallel", "matrix");

    /** Sections allowed in {@code matrix { }}. */
    public static final Set<String> MATRIX_SECTIONS = ordered("axes", "excludes", "agent", "environment", "tools",
            "input", "options", "when", "post", "stages");

    /** Options of {@code pipeline { options { } }}. */
    public static final Set<String> PIPELINE_OPTIONS = ordered("buildDiscarder", "checkoutToSubdirectory",
            "disableConcurrentBuilds", "disableResume", "newContainerPerStage", "overrideIndexTriggers",
            "preserveStashes", "quietPeriod", "retry", "skipDefaultCheckout", "skipStagesAfterUnstable",
            "timeout", "timestamps", "parallelsAlwaysFailFast", "ansiColor");

    /** Options of a stage's {@code options { }}. */
    public static final Set<String> STAGE_OPTIONS = ordered("skipDefaultCheckout", "timeout", "retry", "timestamps");

    /** {@code when} conditions. {@code not}, {@code allOf}, {@code anyOf} nest other conditions. */
    public static final Set<String> WHEN_CONDITIONS = ordered("branch", "buildingTag", "changelog", "changeset",
            "changeRequest", "environment", "equals", "expression", "tag", "not", "allOf", "anyOf", "triggeredBy");

    /** Flags of {@code when} (booleans) saying when it is evaluated. */
    public static final Set<String> WHEN_FLAGS = ordered("beforeAgent", "beforeInput", "beforeOptions");

    /** Values of a condition's {@code comparator} argument. */
    public static final List<String> COMPARATORS = List.of("EQUALS", "GLOB", "REGEXP");

    /** {@code post} conditions, in the order Jenkins runs them. */
    public static final Set<String> POST_CONDITIONS = ordered("always", "changed", "fixed", "regression", "aborted",
            "failure", "success", "unstable", "unsuccessful", "cleanup");

    /** Parameter types of {@code parameters { }} (and of {@code input}'s parameters). */
    public static final Set<String> PARAMETER_TYPES = ordered("string", "text", "booleanParam", "choice", "password");

    /** Trigger types of {@code triggers { }}. */
    public static final Set<String> TRIGGER_TYPES = ordered("cron", "pollSCM", "upstream");

    /** Tool types of {@code tools { }}; each takes the name of an installation. */
    public static final Set<String> TOOL_TYPES = ordered("maven", "jdk", "gradle", "nodejs", "ant", "go", "git");

    /** Every agent type the grammar knows. */
    public static final Set<String> AGENT_TYPES = ordered("any", "none", "label", "node", "docker", "dockerfile",
            "kubernetes");

    /** Agent types that work without plugins. */
    public static final Set<String> DEFAULT_AGENT_TYPES = ordered("any", "none", "label", "node");

    /** The plugin each plugin-provided agent type needs, by agent type. */
    public static final Map<String, String> AGENT_PLUGINS = orderedMap("docker", "docker", "dockerfile", "docker",
            "kubernetes", "kubernetes");

    /** Settings of {@code agent { node { } }}. */
    public static final Map<String, ParamType> NODE_AGENT_OPTIONS = orderedMap("label", ParamType.STRING,
            "customWorkspace", ParamType.STRING, "reuseNode", ParamType.BOOLEAN);

    /** Settings of {@code agent { docker { } }}; {@code image} is required. */
    public static final Map<String, ParamType> DOCKER_AGENT_OPTIONS = orderedMap("image", ParamType.STRING,
            "args", ParamType.STRING, "label", ParamType.STRING, "customWorkspace", ParamType.STRING,
            "reuseNode", ParamType.BOOLEAN, "alwaysPull", ParamType.BOOLEAN, "registryUrl", ParamType.STRING,
            "registryCredentialsId", ParamType.STRING);

    /** Settings of {@code agent { dockerfile { } }}. */
    public static final Map<String, ParamType> DOCKERFILE_AGENT_OPTIONS = orderedMap("filename", ParamType.STRING,
            "dir", ParamType.STRING, "additionalBuildArgs", ParamType.STRING, "label", ParamType.STRING,
            "customWorkspace", ParamType.STRING, "reuseNode", ParamType.BOOLEAN, "registryUrl", ParamType.STRING,
            "registryCredentialsId", ParamType.STRING);

    /** Settings of {@code agent { kubernetes { } }}. */
    public static final Map<String, ParamType> KUBERNETES_AGENT_OPTIONS = orderedMap("yaml", ParamType.STRING,
            "yamlFile", ParamType.STRING, "cloud", ParamType.STRING, "label", ParamType.STRING,
            "defaultContainer", ParamType.STRING, "inheritFrom", ParamType.STRING, "namespace", ParamType.STRING,
            "serviceAccount", ParamType.STRING, "nodeSelector", ParamType.STRING, "customWorkspace",
            ParamType.STRING, "idleMinutes", ParamType.INTEGER, "instanceCap", ParamType.INTEGER,
            "podRetention", ParamType.ANY, "workspaceVolume", ParamType.ANY, "retries", ParamType.INTEGER);

    /** Settings of a stage's {@code input { }}; {@code message} is required. */
    public static final Set<String> INPUT_SETTINGS = ordered("message", "id", "ok", "submitter",
            "submitterParameter", "parameters");

    /**
     * Argument helpers that may be called inside arguments ({@code credentials('id')},
     * {@code buildDiscarder(logRotator(...))}); they are not steps and the runtime builds values of them.
     */
    public static final Set<String> SYMBOLS = ordered("string", "text", "booleanParam", "choice", "password",
            "credentials", "usernamePassword", "usernameColonPassword", "sshUserPrivateKey", "file",
            "certificate", "logRotator", "agent", "nonresumable");

    /** Time units of {@code timeout}. */
    public static final List<String> TIME_UNITS = List.of("NANOSECONDS", "MICROSECONDS", "MILLISECONDS",
            "SECONDS", "MINUTES", "HOURS", "DAYS");

    /** Results an {@code upstream} trigger's {@code threshold} may name. */
    public static final List<String> UPSTREAM_THRESHOLDS = List.of("SUCCESS", "UNSTABLE", "FAILURE");

    /** Arguments of each option (pipeline and stage), keyed by option name. */
    public static final Map<String, StepDescriptor> OPTION_SPECS = specs(
            d("buildDiscarder").required("strategy", ParamType.ANY, "logRotator(...)").positional("strategy"),
            d("checkoutToSubdirectory").required("path", ParamType.STRING, "directory").positional("path"),
            d("disableConcurrentBuilds").optional("abortPrevious", ParamType.BOOLEAN, false, "abort the running build"),
            d("disableResume"),
            d("newContainerPerStage"),
            d("overrideIndexTriggers").required("value", ParamType.BOOLEAN, "whether branch indexing triggers builds")
                    .positional("value"),
            d("preserveStashes").optional("buildCount", ParamType.INTEGER, 1L, "builds whose stashes are kept"),
            d("quietPeriod").required("seconds", ParamType.INTEGER, "seconds to wait").positional("seconds"),
            d("retry").required("count", ParamType.INTEGER, "attempts").positional("count")
                    .optional("conditions", ParamType.LIST, null, "when to retry"),
            d("skipDefaultCheckout").optional("value", ParamType.BOOLEAN, true, "skip the checkout").positional("value"),
            d("skipStagesAfterUnstable"),
            d("timeout").required("time", ParamType.INTEGER, "how long").positional("time")
                    .choice("unit", false, "MINUTES", TIME_UNITS, "time unit")
                    .optional("activity", ParamType.BOOLEAN, false, "time since the last log output"),
            d("timestamps"),
            d("parallelsAlwaysFailFast"),
            d("ansiColor").required("colorMapName", ParamType.STRING, "xterm, vga, css, gnome-terminal")
                    .positional("colorMapName"));

    /** Arguments of {@code logRotator(...)} inside {@code buildDiscarder}; strings or numbers. */
    public static final StepDescriptor LOG_ROTATOR_SPEC = d("logRotator")
            .optional("daysToKeepStr", ParamType.ANY, null, "days to keep builds")
            .optional("numToKeepStr", ParamType.ANY, null, "builds to keep")
            .optional("artifactDaysToKeepStr", ParamType.ANY, null, "days to keep artifacts")
            .optional("artifactNumToKeepStr", ParamType.ANY, null, "builds whose artifacts are kept").build();

    /** Arguments of each parameter type, keyed by type. */
    public static final Map<String, StepDescriptor> PARAMETER_SPECS = specs(
            d("string").required("name", ParamType.STRING, "").optional("defaultValue", ParamType.STRING, "", "")
                    .optional("description", ParamType.STRING, "", "").optional("trim", ParamType.BOOLEAN, false, ""),
            d("text").required("name", ParamType.STRING, "").optional("defaultValue", ParamType.STRING, "", "")
                    .optional("description", ParamType.STRING, "", ""),
            d("booleanParam").required("name", ParamType.STRING, "")
                    .optional("defaultValue", ParamType.BOOLEAN, false, "")
                    .optional("description", ParamType.STRING, "", ""),
            d("choice").required("name", ParamType.STRING, "")
                    .required("choices", ParamType.STRING_LIST, "a list, or one choice a line")
                    .optional("description", ParamType.STRING, "", ""),
            d("password").required("name", ParamType.STRING, "").optional("defaultValue", ParamType.STRING, "", "")
                    .optional("description", ParamType.STRING, "", ""));

    /** Arguments of each trigger type, keyed by type. */
    public static final Map<String, StepDescriptor> TRIGGER_SPECS = specs(
            d("cron").required("spec", ParamType.STRING, "cron spec").positional("spec"),
            d("pollSCM").required("scmpoll_spec", ParamType.STRING, "cron spec").positional("scmpoll_spec")
                    .optional("ignorePostCommitHooks", ParamType.BOOLEAN, false, ""),
            d("upstream").required("upstreamProjects", ParamType.STRING, "comma-separated job names")
                    .optional("threshold", ParamType.ANY, "SUCCESS", "SUCCESS, UNSTABLE or FAILURE"));

    /** Arguments of each {@code when} condition that takes arguments, keyed by condition. */
    public static final Map<String, StepDescriptor> CONDITION_SPECS = specs(
            d("branch").required("pattern", ParamType.STRING, "").positional("pattern")
                    .choice("comparator", false, null, COMPARATORS, ""),
            d("buildingTag"),
            d("changelog").required("pattern", ParamType.STRING, "").positional("pattern"),
            d("changeset").required("pattern", ParamType.STRING, "").positional("pattern")
                    .choice("comparator", false, null, COMPARATORS, "")
                    .optional("caseSensitive", ParamType.BOOLEAN, false, ""),
            d("changeRequest").optional("id", ParamType.STRING, null, "").optional("target", ParamType.STRING, null, "")
                    .optional("branch", ParamType.STRING, null, "").optional("fork", ParamType.STRING, null, "")
                    .optional("url", ParamType.STRING, null, "").optional("title", ParamType.STRING, null, "")
                    .optional("author", ParamType.STRING, null, "")
                    .optional("authorDisplayName", ParamType.STRING, null, "")
                    .optional("authorEmail", ParamType.STRING, null, "")
                    .choice("comparator", false, null, COMPARATORS, ""),
            d("environment").required("name", ParamType.STRING, "").required("value", ParamType.STRING, "")
                    .optional("ignoreCase", ParamType.BOOLEAN, false, ""),
            d("equals").required("expected", ParamType.ANY, "").required("actual", ParamType.ANY, ""),
            d("expression").body(BodyKind.REQUIRED),
            d("tag").optional("pattern", ParamType.STRING, null, "").positional("pattern")
                    .choice("comparator", false, null, COMPARATORS, ""),
            d("triggeredBy").required("cause", ParamType.STRING, "").positional("cause")
                    .optional("detail", ParamType.STRING, null, ""));

    private static StepDescriptor.Builder d(String name) {
        return StepDescriptor.builder(name);
    }

    private static Map<String, StepDescriptor> specs(StepDescriptor.Builder... builders) {
        Map<String, StepDescriptor> m = new LinkedHashMap<>();
        for (StepDescriptor.Builder b : builders) {
            StepDescriptor sd = b.build();
            m.put(sd.name(), sd);
        }
        return Collections.unmodifiableMap(m);
    }

    private static Set<String> ordered(String... names) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> orderedMap(Object... kv) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (V) kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
