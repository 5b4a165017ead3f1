package dev.gantry.engine.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.engine.jobs.Node.ListNode;
import dev.gantry.engine.jobs.Node.MapNode;
import dev.gantry.engine.jobs.Node.Scalar;
import dev.gantry.engine.pipeline.Problem;
import dev.gantry.engine.pipeline.Suggestions;
import dev.gantry.engine.server.JobNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads job definitions ("jobs as code") from a YAML or JSON file, or from the fields of a REST
 * body, checking everything a definition can get wrong before anything is stored: unknown fields
 * (with "did you mean"), wrong types, invalid names and parameters. Every problem is collected,
 * each with the file's line and column. Stateless and thread-safe.
 *
 * <p>A file holds one definition (a mapping), a list of them, or (YAML) several documents
 * separated by {@code ---}. See {@code docs/server.md} for the format.
 */
public final class DefinitionReader {
    static final Set<String> JOB_FIELDS = ordered("name", "kind", "description", "script", "scm", "parameters", "options", "triggers");
    static final Set<String> KINDS = ordered("pipeline", "multibranch");
    static final Set<String> MULTIBRANCH_FIELDS = ordered("name", "kind", "description", "scm");
    static final Set<String> MULTIBRANCH_SCM_FIELDS = ordered("url", "path", "credentialsId");
    static final Set<String> SCM_FIELDS = ordered("url", "branch", "path", "credentialsId");
    static final Set<String> PARAMETER_FIELDS = ordered("type", "name", "defaultValue", "description", "choices", "trim");
    static final Set<String> PARAMETER_TYPES = ordered("string", "text", "booleanParam", "choice");
    static final Set<String> OPTION_FIELDS = ordered("quietPeriod", "disableConcurrentBuilds", "buildDiscarder");
    static final Set<String> CONCURRENCY_FIELDS = ordered("abortPrevious");
    static final Set<String> TRIGGER_FIELDS = ordered("cron", "pollSCM", "upstream");
    static final Set<String> UPSTREAM_FIELDS = ordered("upstreamProjects", "threshold");
    static final Set<String> DISCARDER_FIELDS = ordered("numToKeep", "daysToKeep", "artifactNumToKeep", "artifactDaysToKeep");
    static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");
    private static final int MAX_DEFINITIONS = 1000;

    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();

    /**
     * One definition of a file and where it is.
     *
     * @param definition the job, or null for a multibranch project
     * @param script where its inline script's text is, to place the script's own problems in the file
     * @param multibranch the multibranch project ({@code kind: multibranch}), or null for a job
     */
    public record Entry(JobDefinition definition, int line, int column, ScriptOrigin script, MultibranchDefinition multibranch) {
        /** A job's entry. */
        public Entry(JobDefinition definition, int line, int column, ScriptOrigin script) {
            this(definition, line, column, script, null);
        }

        /** The job's or the project's name. */
        public String name() {
            return definition != null ? definition.name() : multibranch.name();
        }
    }

    private DefinitionReader() {
    }

    /**
     * Reads every definition in a file.
     *
     * @param fileName the file's name, for messages and to tell JSON ({@code .json}) from YAML
     * @param text the file's text
     * @return the definitions in file order; never empty
     * @throws InvalidDefinitionException with every problem found, each at its line and column
     */
    public static List<Entry> readFile(String fileName, String text) throws InvalidDefinitionException {
        Problems problems = new Problems(fileName);
        List<Node> roots = new ArrayList<>();
        boolean json = isJson(fileName, text);
        try (JsonParser p = (json ? JSON : YAML).createParser(text)) {
            List<DefinitionProblem> duplicates = new ArrayList<>();
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                roots.add(Node.read(p, "", duplicates, fileName));
                if (json && p.nextToken() != null) {
                    problems.at(p.currentTokenLocation().getLineNr(), p.currentTokenLocation().getColumnNr(), null,
                            "unexpected content after the end of the JSON value; put several jobs in a list [ ... ]");
                    break;
                }
            }
            problems.list.addAll(duplicates);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            problems.at(line, column, null, (json ? "malformed JSON: " : "malformed YAML: ") + syntaxMessage(e.getOriginalMessage()));
            throw problems.failure();
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail: " + e, e);
        }
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        Map<String, Integer> seen = new HashMap<>();
        for (Node root : roots) {
            if (root instanceof Scalar s && s.value() == null) {
                continue; // an empty YAML document
            }
            List<Node> items = root instanceof ListNode l ? l.items() : List.of(root);
            for (Node item : items) {
                if (entries.size() >= MAX_DEFINITIONS) {
                    problems.at(item, null, "a file holds at most " + MAX_DEFINITIONS + " job definitions; split it");
                    throw problems.failure();
                }
                if (isMultibranch(item)) {
                    MultibranchDefinition mb = multibranch((MapNode) item, problems);
                    if (mb == null) {
                        continue;
                    }
                    Integer first = seen.putIfAbsent(mb.name(), item.line());
                    if (first != null) {
                        problems.at(item, null, "'" + mb.name() + "' is defined twice in this file; the first is at line " + first);
                        continue;
                    }
                    entries.add(new Entry(null, item.line(), item.column(), null, mb));
                    continue;
                }
                JobDefinition d = job(item, problems);
                if (d == null) {
                    continue;
                }
                Integer first = seen.putIfAbsent(d.name(), item.line());
                if (first != null) {
                    problems.job = d.name();
                    problems.at(item, null, "job '" + d.name() + "' is defined twice in this file; the first is at line " + first);
                    continue;
                }
                Node script = ((MapNode) item).fields().get("script");
                entries.add(new Entry(d, item.line(), item.column(), script == null ? null : ScriptOrigin.of(script, lines)));
            }
        }
        for (Entry e : entries) {
            if (e.multibranch() == null) {
                continue;
            }
            for (Entry j : entries) {
                if (j.definition() != null && j.name().startsWith(e.name() + "/")) {
                    problems.job = j.name();
                    problems.at(j.line(), j.column(), null, "job '" + j.name() + "' is inside the multibranch project '" + e.name()
                            + "' (line " + e.line() + "), whose jobs its branch scans make; define it elsewhere");
                }
            }
        }
        if (entries.isEmpty() && problems.list.isEmpty()) {
            problems.at(1, 1, null, "the file defines no job; write name: and script: (or scm:), or a list of such definitions");
        }
        if (!problems.list.isEmpty()) {
            throw problems.failure();
        }
        return entries;
    }

    /**
     * Reads a definition given as the fields of a REST body ({@code PUT /api/v1/jobs/{name}}).
     *
     * @param name the job's full name (already checked)
     * @param fields the body's fields besides {@code version}, as JSON maps, lists and scalars
     * @throws InvalidDefinitionException naming each wrong field by its path
     */
    public static JobDefinition readBody(String name, Map<String, Object> fields) throws InvalidDefinitionException {
        Problems problems = new Problems(null);
        Map<String, Object> withName = new java.util.LinkedHashMap<>(fields);
        Object given = withName.put("name", name);
        if (given != null && !name.equals(given)) {
            problems.job = name;
            problems.at(0, 0, "name", "the body names the job '" + given + "', but the URL names '" + name + "'; leave 'name' out or make them equal");
        }
        JobDefinition d = job(Node.of(withName, ""), problems);
        if (!problems.list.isEmpty() || d == null) {
            throw problems.failure();
        }
        return d;
    }

    private static boolean isJson(String fileName, String text) {
        String lower = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return true;
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return false;
        }
        String t = text.stripLeading();
        return t.startsWith("{") || t.startsWith("[");
    }

    /** A parser's message without SnakeYAML's excerpt lines: what was wrong and what was expected. */
    private static String syntaxMessage(String raw) {
        if (raw == null) {
            return "cannot parse the file";
        }
        List<String> parts = new ArrayList<>();
        for (String line : raw.split("\n")) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            parts.add(line.strip());
        }
        return parts.isEmpty() ? raw.strip() : String.join("; ", parts);
    }

    // ------------------------------------------------------------------ one definition

    private static JobDefinition job(Node node, Problems problems) {
        problems.job = null;
        if (!(node instanceof MapNode m)) {
            problems.at(node, null, "expected a job definition (a mapping with name: and script: or scm:), not " + Node.describe(node));
            return null;
        }
        String name = name(m, problems, "a job definition needs name: (the job's full name, folders separated by /)");
        unknown(m, JOB_FIELDS, "job definition", problems);
        String kind = string(m, "kind", problems);
        if (kind != null && !KINDS.contains(kind)) {
            problems.at(m.fields().get("kind"), "kind", "unknown kind '" + kind + "'; use pipeline (the default) or multibranch"
                    + Suggestions.closest(kind, KINDS).map(k -> "; did you mean '" + k + "'?").orElse(""));
        } else if ("multibranch".equals(kind)) {
            problems.at(m.fields().get("kind"), "kind", "a multibranch project cannot be saved as a job: define it in a file for"
                    + " 'gantry job apply' (POST /api/v1/apply), or PUT /api/v1/multibranch/{name}");
            return null;
        }
        String description = string(m, "description", problems);
        String script = string(m, "script", problems);
        ScmSource scm = m.fields().containsKey("scm") ? scm(m.fields().get("scm"), problems) : null;
        boolean hasScript = m.fields().containsKey("script");
        boolean hasScm = m.fields().containsKey("scm");
        if (hasScript && hasScm) {
            problems.at(m.fields().get("scm"), "scm", "give either script: (the pipeline inline) or scm: (where to fetch it), not both");
        } else if (!hasScript && !hasScm) {
            problems.at(m, null, "job '" + (name == null ? "?" : name) + "' needs script: (the pipeline inline) or scm: {url: ..., branch: ..., path: ...}");
        } else if (script != null && script.isBlank()) {
            problems.at(m.fields().get("script"), "script", "the script is empty; a pipeline needs pipeline { ... } or node { ... }");
        }
        List<ParameterDefinition> parameters = m.fields().containsKey("parameters") ? parameters(m.fields().get("parameters"), problems) : List.of();
        JobOptions options = m.fields().containsKey("options") ? options(m.fields().get("options"), problems) : JobOptions.NONE;
        JobTriggers triggers = m.fields().containsKey("triggers") ? triggers(m.fields().get("triggers"), problems) : JobTriggers.NONE;
        if (name == null || (script == null) == (scm == null) || (script != null && script.isBlank())) {
            return null;
        }
        return new JobDefinition(name, script, new JobSpec(description, scm, parameters, options, triggers));
    }

    /** The definition's valid name (and the job its further problems are reported under), or null with the problem noted. */
    private static String name(MapNode m, Problems problems, String missing) {
        String name = string(m, "name", problems);
        if (name != null) {
            problems.job = name;
            String why = JobNames.check(name);
            if (why != null) {
                problems.at(m.fields().get("name"), "name", why);
                return null;
            }
        } else if (!m.fields().containsKey("name")) {
            problems.at(m, null, missing);
        }
        return name;
    }

    private static boolean isMultibranch(Node item) {
        return item instanceof MapNode m && m.fields().get("kind") instanceof Scalar k && "multibranch".equals(k.value());
    }

    /** A {@code kind: multibranch} definition: name, description and scm {url, credentialsId, path}; nothing else. */
    private static MultibranchDefinition multibranch(MapNode m, Problems problems) {
        problems.job = null;
        String name = name(m, problems, "a multibranch project needs name: (its folder's full name, folders separated by /)");
        for (String field : List.of("script", "parameters", "options")) {
            if (m.fields().containsKey(field)) {
                problems.at(m.fields().get(field), field, "a multibranch project takes no " + field + ": each branch's "
                        + (field.equals("script") ? "pipeline comes from its pipeline file (scm: path:)" : "pipeline file declares its own " + field));
            }
        }
        for (Map.Entry<String, Node> f : m.fields().entrySet()) {
            if (!MULTIBRANCH_FIELDS.contains(f.getKey()) && !List.of("script", "parameters", "options").contains(f.getKey())) {
                problems.at(f.getValue(), f.getKey(), "unknown field '" + f.getKey() + "' in a multibranch project; use "
                        + String.join(", ", MULTIBRANCH_FIELDS) + Suggestions.closest(f.getKey(), MULTIBRANCH_FIELDS).map(k -> "; did you mean '" + k + "'?").orElse(""));
            }
        }
        String description = string(m, "description", problems);
        Node scmNode = m.fields().get("scm");
        if (scmNode == null) {
            problems.at(m, null, "multibranch project '" + (name == null ? "?" : name) + "' needs scm: {url: ..., credentialsId: ...}: the repository whose branches it builds");
            return null;
        }
        if (!(scmNode instanceof MapNode s)) {
            problems.at(scmNode, scmNode.path(), "scm must be a mapping {url: ..., credentialsId: ..., path: ...}, not " + Node.describe(scmNode));
            return null;
        }
        if (s.fields().containsKey("branch")) {
            problems.at(s.fields().get("branch"), Node.child(s.path(), "branch"), "a multibranch project builds every branch and tag holding"
                    + " its pipeline file; leave branch: out (or make it a job without kind: multibranch)");
        }
        for (Map.Entry<String, Node> f : s.fields().entrySet()) {
            if (!MULTIBRANCH_SCM_FIELDS.contains(f.getKey()) && !f.getKey().equals("branch")) {
                problems.at(f.getValue(), Node.child(s.path(), f.getKey()), "unknown field '" + f.getKey() + "' in scm of a multibranch project; use "
                        + String.join(", ", MULTIBRANCH_SCM_FIELDS) + Suggestions.closest(f.getKey(), MULTIBRANCH_SCM_FIELDS).map(k -> "; did you mean '" + k + "'?").orElse(""));
            }
        }
        Map<String, Node> plain = new java.util.LinkedHashMap<>(s.fields());
        plain.remove("branch");
        plain.keySet().retainAll(MULTIBRANCH_SCM_FIELDS);
        ScmSource source = scm(new MapNode(s.path(), s.line(), s.column(), plain, s.keys()), problems);
        if (name == null || source == null) {
            return null;
        }
        return new MultibranchDefinition(name, source.url(), source.credentialsId(), source.path(), description);
    }

    private static ScmSource scm(Node node, Problems problems) {
        if (!(node instanceof MapNode m)) {
            problems.at(node, node.path(), "scm must be a mapping {url: ..., branch: ..., path: ...}, not " + Node.describe(node));
            return null;
        }
        unknown(m, SCM_FIELDS, "scm", problems);
        String url = string(m, "url", problems);
        String branch = string(m, "branch", problems);
        String path = string(m, "path", problems);
        String credentialsId = string(m, "credentialsId", problems);
        if (!m.fields().containsKey("url")) {
            problems.at(m, m.path(), "scm needs url: (the repository to fetch the pipeline from)");
            return null;
        }
        if (url == null) {
            return null;
        }
        boolean ok = true;
        if (url.isBlank() || url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            problems.at(m.fields().get("url"), Node.child(m.path(), "url"), "scm url must be a repository URL without spaces or control characters, not '" + url + "'");
            ok = false;
        }
        if (branch != null && (branch.isBlank() || branch.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)))) {
            problems.at(m.fields().get("branch"), Node.child(m.path(), "branch"), "scm branch must be a branch name without spaces, not '" + branch + "'");
            ok = false;
        }
        if (path != null && (path.isBlank() || path.startsWith("/") || List.of(path.split("/")).contains(".."))) {
            problems.at(m.fields().get("path"), Node.child(m.path(), "path"), "scm path must be a file inside the repository (relative, without '..'), not '" + path + "'");
            ok = false;
        }
        return ok ? new ScmSource(url, branch, path, credentialsId == null || credentialsId.isBlank() ? null : credentialsId) : null;
    }

    private static List<ParameterDefinition> parameters(Node node, Problems problems) {
        if (!(node instanceof ListNode l)) {
            problems.at(node, node.path(), "parameters must be a list of parameter definitions (- name: X\\n  type: string), not " + Node.describe(node));
            return List.of();
        }
        List<ParameterDefinition> out = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (Node item : l.items()) {
            ParameterDefinition p = parameter(item, problems);
            if (p == null) {
                continue;
            }
            Integer first = names.putIfAbsent(p.name(), item.line());
            if (first != null) {
                problems.at(item, item.path(), "parameter '" + p.name() + "' is declared twice" + (first > 0 ? "; the first is at line " + first : ""));
                continue;
            }
            out.add(p);
        }
        return out;
    }

    private static ParameterDefinition parameter(Node node, Problems problems) {
        if (!(node instanceof MapNode m)) {
            problems.at(node, node.path(), "a parameter must be a mapping with type: and name:, not " + Node.describe(node));
            return null;
        }
        unknown(m, PARAMETER_FIELDS, "parameter", problems);
        String type = string(m, "type", problems);
        String name = string(m, "name", problems);
        String description = string(m, "description", problems);
        boolean ok = type != null && name != null;
        if (!m.fields().containsKey("type")) {
            problems.at(m, m.path(), "a parameter needs type: (one of " + String.join(", ", PARAMETER_TYPES) + ")");
        } else if (type != null && !PARAMETER_TYPES.contains(type)) {
            problems.at(m.fields().get("type"), Node.child(m.path(), "type"), "unknown parameter type '" + type + "'; use one of "
                    + String.join(", ", PARAMETER_TYPES) + Suggestions.closest(type, PARAMETER_TYPES).map(s -> "; did you mean '" + s + "'?").orElse(""));
            ok = false;
        }
        if (!m.fields().containsKey("name")) {
            problems.at(m, m.path(), "a parameter needs name:");
        } else if (name != null && !PARAMETER_NAME.matcher(name).matches()) {
            problems.at(m.fields().get("name"), Node.child(m.path(), "name"), "parameter name '" + name
                    + "' must start with a letter or _ and contain only letters, digits, _, . and -");
            ok = false;
        }
        Node dflt = m.fields().get("defaultValue");
        Object defaultValue = null;
        List<String> choices = List.of();
        boolean trim = false;
        if (ok) {
            switch (type) {
                case "booleanParam" -> defaultValue = dflt == null ? Boolean.FALSE : bool(dflt, "defaultValue of booleanParam '" + name + "'", problems);
                case "choice" -> {
                    if (dflt != null) {
                        problems.at(dflt, dflt.path(), "choice parameter '" + name + "' takes no defaultValue: the first of its choices is the default");
                    }
                    choices = choices(m, name, problems);
                }
                default -> defaultValue = dflt == null ? "" : text(dflt, "defaultValue of " + type + " parameter '" + name + "'", problems);
            }
            if (!type.equals("choice") && m.fields().containsKey("choices")) {
                problems.at(m.fields().get("choices"), Node.child(m.path(), "choices"), "only choice parameters take choices; '" + name + "' is a " + type);
            }
            if (m.fields().containsKey("trim")) {
                if (!type.equals("string")) {
                    problems.at(m.fields().get("trim"), Node.child(m.path(), "trim"), "only string parameters take trim; '" + name + "' is a " + type);
                } else {
                    Boolean b = bool(m.fields().get("trim"), "trim of parameter '" + name + "'", problems);
                    trim = Boolean.TRUE.equals(b);
                }
            }
        }
        return ok ? new ParameterDefinition(type, name, defaultValue, description, choices, trim) : null;
    }

    private static List<String> choices(MapNode m, String name, Problems problems) {
        Node c = m.fields().get("choices");
        if (c == null) {
            problems.at(m, m.path(), "choice parameter '" + name + "' needs choices: [a, b, ...]");
            return List.of();
        }
        if (!(c instanceof ListNode l)) {
            problems.at(c, c.path(), "choices of '" + name + "' must be a list of strings, not " + Node.describe(c));
            return List.of();
        }
        if (l.items().isEmpty()) {
            problems.at(c, c.path(), "choice parameter '" + name + "' needs at least one choice");
        }
        List<String> out = new ArrayList<>();
        for (Node item : l.items()) {
            String s = text(item, "a choice of '" + name + "'", problems);
            if (s != null) {
                if (out.contains(s)) {
                    problems.at(item, item.path(), "choice '" + s + "' of '" + name + "' is listed twice");
                } else {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static JobOptions options(Node node, Problems problems) {
        if (!(node instanceof MapNode m)) {
            problems.at(node, node.path(), "options must be a mapping (quietPeriod: 5, ...), not " + Node.describe(node));
            return JobOptions.NONE;
        }
        unknown(m, OPTION_FIELDS, "options", problems);
        Integer quiet = null;
        if (m.fields().containsKey("quietPeriod")) {
            quiet = count(m.fields().get("quietPeriod"), "quietPeriod (seconds)", problems);
        }
        Boolean serial = null;
        Boolean abort = null;
        Node c = m.fields().get("disableConcurrentBuilds");
        if (c instanceof MapNode cm) {
            unknown(cm, CONCURRENCY_FIELDS, "disableConcurrentBuilds", problems);
            serial = true;
            abort = cm.fields().containsKey("abortPrevious") ? bool(cm.fields().get("abortPrevious"), "abortPrevious", problems) : Boolean.FALSE;
        } else if (c != null) {
            if (c instanceof Scalar s && s.value() instanceof Boolean b) {
                serial = b;
                abort = false;
            } else {
                problems.at(c, c.path(), "disableConcurrentBuilds must be true, false or {abortPrevious: true}, not " + Node.describe(c));
            }
        }
        LogRotator rotator = null;
        Node d = m.fields().get("buildDiscarder");
        if (d != null) {
            rotator = discarder(d, problems);
        }
        return new JobOptions(quiet, serial, abort, rotator);
    }

    /** The definition's triggers, checked as the linter checks a {@code triggers { }} block (the same cron parser). */
    private static JobTriggers triggers(Node node, Problems problems) {
        if (!(node instanceof MapNode m)) {
            problems.at(node, node.path(), "triggers must be a mapping (cron: 'H 4 * * *', pollSCM: ..., upstream: {...}), not " + Node.describe(node));
            return JobTriggers.NONE;
        }
        unknown(m, TRIGGER_FIELDS, "triggers", problems);
        String cron = cronSpec(m, "cron", problems);
        String poll = cronSpec(m, "pollSCM", problems);
        String projects = null;
        String threshold = null;
        Node u = m.fields().get("upstream");
        if (u != null && !(u instanceof MapNode)) {
            problems.at(u, u.path(), "upstream must be a mapping {upstreamProjects: 'a, b', threshold: SUCCESS}, not " + Node.describe(u));
        } else if (u instanceof MapNode um) {
            unknown(um, UPSTREAM_FIELDS, "upstream", problems);
            projects = string(um, "upstreamProjects", problems);
            if (!um.fields().containsKey("upstreamProjects")) {
                problems.at(um, Node.child(um.path(), "upstreamProjects"), "upstream needs upstreamProjects: (the names of the jobs, separated by commas)");
            } else if (projects != null) {
                List<String> names = new ArrayList<>();
                for (String p : projects.split(",")) {
                    names.add(p.strip());
                }
                if (names.stream().anyMatch(String::isEmpty) || projects.chars().anyMatch(Character::isISOControl)) {
                    problems.at(um.fields().get("upstreamProjects"), Node.child(um.path(), "upstreamProjects"),
                            "upstreamProjects must be job names separated by commas (such as 'lib, team/api'), not '" + projects + "'");
                    projects = null;
                } else {
                    projects = String.join(",", names);
                }
            }
            threshold = um.fields().containsKey("threshold") ? string(um, "threshold", problems) : "SUCCESS";
            if (threshold != null && !dev.gantry.engine.pipeline.DeclarativeGrammar.UPSTREAM_THRESHOLDS.contains(threshold)) {
                problems.at(um.fields().get("threshold"), Node.child(um.path(), "threshold"), "threshold of upstream must be SUCCESS, UNSTABLE or FAILURE, not '"
                        + threshold + "'" + Suggestions.closest(threshold, dev.gantry.engine.pipeline.DeclarativeGrammar.UPSTREAM_THRESHOLDS)
                        .map(s -> "; did you mean '" + s + "'?").orElse(""));
                threshold = null;
            }
            if (projects == null || threshold == null) {
                projects = null;
                threshold = null;
            }
        }
        return new JobTriggers(cron, poll, projects, threshold);
    }

    private static String cronSpec(MapNode m, String field, Problems problems) {
        String spec = string(m, field, problems);
        if (spec == null) {
            return null;
        }
        try {
            dev.gantry.engine.pipeline.CronSpec.parse(spec);
            return spec;
        } catch (IllegalArgumentException e) {
            problems.at(m.fields().get(field), Node.child(m.path(), field), "Invalid " + field + " spec: " + e.getMessage());
            return null;
        }
    }

    private static LogRotator discarder(Node node, Problems problems) {
        if (!(node instanceof MapNode m)) {
            problems.at(node, node.path(), "buildDiscarder must be a mapping such as {numToKeep: 10, daysToKeep: 30}, not " + Node.describe(node));
            return null;
        }
        unknown(m, DISCARDER_FIELDS, "buildDiscarder", problems);
        int[] values = new int[DISCARDER_FIELDS.size()];
        int i = 0;
        boolean any = false;
        for (String f : DISCARDER_FIELDS) {
            Node v = m.fields().get(f);
            Integer n = v == null ? null : count(v, f, problems);
            values[i++] = n == null ? LogRotator.UNLIMITED : n;
            any |= n != null;
        }
        if (!any && m.fields().keySet().stream().allMatch(DISCARDER_FIELDS::contains)) {
            problems.at(m, m.path(), "buildDiscarder needs at least one of " + String.join(", ", DISCARDER_FIELDS));
        }
        return any ? new LogRotator(values[1], values[0], values[3], values[2]) : null;
    }

    // ------------------------------------------------------------------ typed fields

    private static void unknown(MapNode m, Set<String> known, String what, Problems problems) {
        for (String f : m.fields().keySet()) {
            if (!known.contains(f)) {
                int[] at = m.keys().get(f);
                String hint = Suggestions.closest(f, known).map(s -> "; did you mean '" + s + "'?")
                        .orElse("; known fields: " + String.join(", ", known));
                problems.at(at == null ? m.line() : at[0], at == null ? m.column() : at[1], Node.child(m.path(), f),
                        "unknown field '" + f + "' in " + what + hint);
            }
        }
    }

    /** A string field, null when absent or wrong (reported). */
    private static String string(MapNode m, String field, Problems problems) {
        Node n = m.fields().get(field);
        return n == null ? null : text(n, "'" + field + "'", problems);
    }

    private static String text(Node n, String what, Problems problems) {
        if (n instanceof Scalar s && s.value() instanceof String v) {
            return v;
        }
        String hint = n instanceof Scalar s && s.value() != null ? "; quote it: '" + s.text() + "'" : "";
        problems.at(n, n.path(), what + " must be a string, not " + Node.describe(n) + hint);
        return null;
    }

    private static Boolean bool(Node n, String what, Problems problems) {
        if (n instanceof Scalar s && s.value() instanceof Boolean b) {
            return b;
        }
        problems.at(n, n.path(), what + " must be true or false, not " + Node.describe(n));
        return null;
    }

    /** A whole number of at least 0, at most a year of seconds. */
    private static Integer count(Node n, String what, Problems problems) {
        if (n instanceof Scalar s && s.value() instanceof Long v && v >= 0 && v <= 31_536_000) {
            return v.intValue();
        }
        String range = n instanceof Scalar s && s.value() instanceof Long ? " between 0 and 31536000" : "";
        problems.at(n, n.path(), what + " must be a whole number" + range + ", not " + Node.describe(n));
        return null;
    }

    private static Set<String> ordered(String... names) {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }

    /** Collects the problems of one read; {@code job} names the definition being read. */
    static final class Problems {
        final String file;
        final List<DefinitionProblem> list = new ArrayList<>();
        String job;

        Problems(String file) {
            this.file = file;
        }

        void at(Node n, String field, String message) {
            at(n.line(), n.column(), field, message);
        }

        void at(int line, int column, String field, String message) {
            list.add(new DefinitionProblem(file, line, column, job, field, message));
        }

        InvalidDefinitionException failure() {
            return new InvalidDefinitionException(list);
        }
    }

    /**
     * Where an inline script's text is in its file, so that the pipeline's own problems (line and
     * column in the script) can be shown at their place in the file. Exact for YAML literal blocks
     * ({@code script: |}); for other styles (JSON strings, quoted or folded YAML) the problem is
     * placed at the script's start and its position in the script is named in the message.
     */
    public record ScriptOrigin(int line, int column, int firstLine, int indent) {

        static ScriptOrigin of(Node script, String[] lines) {
            int l = script.line();
            int c = script.column();
            if (l >= 1 && l <= lines.length && c >= 1 && c <= lines[l - 1].length() && lines[l - 1].charAt(c - 1) == '|') {
                for (int i = l; i < lines.length; i++) {
                    String content = lines[i];
                    if (!content.isBlank()) {
                        int indent = 0;
                        while (indent < content.length() && content.charAt(indent) == ' ') {
                            indent++;
                        }
                        return new ScriptOrigin(l, c, l + 1, indent);
                    }
                }
            }
            return new ScriptOrigin(l, c, 0, 0);
        }

        /** The script's problem placed in the file. */
        public DefinitionProblem place(String file, String job, Problem p) {
            if (firstLine > 0) {
                return new DefinitionProblem(file, firstLine + p.line() - 1, indent + p.column(), job, "script", p.message());
            }
            return new DefinitionProblem(file, line, column, job, "script",
                    "pipeline line " + p.line() + ", column " + p.column() + ": " + p.message());
        }
    }
}
