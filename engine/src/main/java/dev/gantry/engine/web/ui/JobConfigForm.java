package dev.gantry.engine.web.ui;

import dev.gantry.engine.jobs.DefinitionProblem;
import dev.gantry.engine.jobs.DefinitionReader;
import dev.gantry.engine.jobs.InvalidDefinitionException;
import dev.gantry.engine.jobs.JobDefinition;
import dev.gantry.engine.jobs.JobOptions;
import dev.gantry.engine.jobs.JobSpec;
import dev.gantry.engine.jobs.JobTriggers;
import dev.gantry.engine.jobs.LogRotator;
import dev.gantry.engine.jobs.ScmSource;
import dev.gantry.engine.store.JobRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The job configuration form as the user typed it: every field a string, so that a form that is
 * refused comes back exactly as sent. {@link #definition} turns it into the fields of a REST body
 * and reads them with {@link DefinitionReader#readBody}, the very check {@code PUT} and
 * {@code gantry job apply} make; the problems it reports are mapped back onto the form's fields.
 * Immutable and thread-safe.
 *
 * @param source {@code script} (the pipeline inline) or {@code scm}
 * @param concurrency {@code ""} (not declared), {@code serial}, {@code abort} (serial, abort previous) or {@code concurrent}
 */
public record JobConfigForm(String source, String script, String description, String scmUrl, String scmBranch, String scmPath,
                            String scmCredentials, String cron, String pollScm, String upstream, String threshold, String quietPeriod,
                            String concurrency, String numToKeep, String daysToKeep, String artifactNumToKeep, String artifactDaysToKeep) {
    private static final Pattern WHOLE = Pattern.compile("[0-9]{1,12}");
    /** Where each field of a definition is on the form (a problem's field path to the form field's name). */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("script", "script"), Map.entry("description", "description"), Map.entry("scm", "scm.url"),
            Map.entry("scm.url", "scm.url"), Map.entry("scm.branch", "scm.branch"), Map.entry("scm.path", "scm.path"),
            Map.entry("scm.credentialsId", "scm.credentialsId"), Map.entry("triggers.cron", "cron"), Map.entry("triggers.pollSCM", "pollSCM"),
            Map.entry("triggers.upstream", "upstream"), Map.entry("triggers.upstream.upstreamProjects", "upstream"),
            Map.entry("triggers.upstream.threshold", "threshold"), Map.entry("options.quietPeriod", "quietPeriod"),
            Map.entry("options.disableConcurrentBuilds", "concurrency"), Map.entry("options.buildDiscarder", "numToKeep"),
            Map.entry("options.buildDiscarder.numToKeep", "numToKeep"), Map.entry("options.buildDiscarder.daysToKeep", "daysToKeep"),
            Map.entry("options.buildDiscarder.artifactNumToKeep", "artifactNumToKeep"),
            Map.entry("options.buildDiscarder.artifactDaysToKeep", "artifactDaysToKeep"));

    /** The form of a stored job: its definition's own declarations (not the pipeline's). */
    static JobConfigForm of(JobRecord j) {
        JobSpec s = j.spec();
        ScmSource scm = s.scm();
        JobTriggers t = s.triggers();
        JobOptions o = s.options();
        LogRotator r = o.buildDiscarder();
        String concurrency = o.disableConcurrentBuilds() == null ? "" : o.abortsPrevious() ? "abort" : o.serial() ? "serial" : "concurrent";
        return new JobConfigForm(scm == null ? "script" : "scm", scm == null ? j.script() : "", nz(s.description()),
                scm == null ? "" : scm.url(), scm == null ? "" : nz(scm.branch()), scm == null ? "" : scm.path(),
                scm == null ? "" : nz(scm.credentialsId()), nz(t.cron()), nz(t.pollScm()), nz(t.upstreamProjects()),
                t.threshold() == null ? "SUCCESS" : t.threshold(), o.quietPeriod() == null ? "" : o.quietPeriod().toString(), concurrency,
                count(r == null ? -1 : r.numToKeep()), count(r == null ? -1 : r.daysToKeep()),
                count(r == null ? -1 : r.artifactNumToKeep()), count(r == null ? -1 : r.artifactDaysToKeep()));
    }

    /** The form as posted; {@code param} answers null for a field that was not sent. */
    static JobConfigForm read(Function<String, String> param) {
        Function<String, String> p = name -> {
            String v = param.apply(name);
            return v == null ? "" : v.replace("\r\n", "\n");
        };
        return new JobConfigForm("scm".equals(p.apply("source")) ? "scm" : "script", p.apply("script"), p.apply("description"),
                p.apply("scm.url"), p.apply("scm.branch"), p.apply("scm.path"), p.apply("scm.credentialsId"), p.apply("cron"),
                p.apply("pollSCM"), p.apply("upstream"), p.apply("threshold").isEmpty() ? "SUCCESS" : p.apply("threshold"),
                p.apply("quietPeriod"), p.apply("concurrency"), p.apply("numToKeep"), p.apply("daysToKeep"), p.apply("artifactNumToKeep"),
                p.apply("artifactDaysToKeep"));
    }

    /** The form's problems: by form field name, and those that belong to no field. */
    record Problems(Map<String, List<String>> byField, List<String> general) {
    }

    /** The form read as a definition, or why not. */
    record Outcome(JobDefinition definition, Problems problems) {
    }

    /**
     * Reads the form as job {@code name}'s definition, with the same checks as {@code PUT}; the
     * definition-level parameters, which the form does not edit, are kept from {@code current}.
     */
    Outcome definition(String name, JobSpec current) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (!description.isBlank()) {
            fields.put("description", description.strip());
        }
        if (source.equals("scm")) {
            Map<String, Object> scm = new LinkedHashMap<>();
            scm.put("url", scmUrl.strip());
            putText(scm, "branch", scmBranch);
            putText(scm, "path", scmPath);
            putText(scm, "credentialsId", scmCredentials);
            fields.put("scm", scm);
        } else {
            fields.put("script", script);
        }
        Map<String, Object> triggers = new LinkedHashMap<>();
        putText(triggers, "cron", cron);
        putText(triggers, "pollSCM", pollScm);
        if (!upstream.isBlank()) {
            triggers.put("upstream", Map.of("upstreamProjects", upstream.strip(), "threshold", threshold.strip()));
        }
        if (!triggers.isEmpty()) {
            fields.put("triggers", triggers);
        }
        Map<String, Object> options = new LinkedHashMap<>();
        putNumber(options, "quietPeriod", quietPeriod);
        switch (concurrency) {
            case "serial" -> options.put("disableConcurrentBuilds", true);
            case "abort" -> options.put("disableConcurrentBuilds", Map.of("abortPrevious", true));
            case "concurrent" -> options.put("disableConcurrentBuilds", false);
            default -> {
                // not declared: the pipeline's own option, if any, holds
            }
        }
        Map<String, Object> discarder = new LinkedHashMap<>();
        putNumber(discarder, "numToKeep", numToKeep);
        putNumber(discarder, "daysToKeep", daysToKeep);
        putNumber(discarder, "artifactNumToKeep", artifactNumToKeep);
        putNumber(discarder, "artifactDaysToKeep", artifactDaysToKeep);
        if (!discarder.isEmpty()) {
            options.put("buildDiscarder", discarder);
        }
        if (!options.isEmpty()) {
            fields.put("options", options);
        }
        try {
            JobDefinition d = DefinitionReader.readBody(name, fields);
            JobSpec s = d.spec();
            return new Outcome(new JobDefinition(name, d.script(), new JobSpec(s.description(), s.scm(), current.parameters(), s.options(),
                    s.triggers())), null);
        } catch (InvalidDefinitionException e) {
            return new Outcome(null, problems(e.problems()));
        }
    }

    static Problems problems(List<DefinitionProblem> list) {
        Map<String, List<String>> byField = new LinkedHashMap<>();
        List<String> general = new ArrayList<>();
        for (DefinitionProblem p : list) {
            String field = p.field() == null ? null : FIELDS.get(p.field());
            if (field == null) {
                general.add(p.message());
            } else {
                byField.computeIfAbsent(field, k -> new ArrayList<>()).add(p.message());
            }
        }
        return new Problems(byField, general);
    }

    private static void putText(Map<String, Object> m, String key, String value) {
        if (!value.isBlank()) {
            m.put(key, value.strip());
        }
    }

    /** A whole number as a number; anything else as the text typed, for the reader to refuse by name. */
    private static void putNumber(Map<String, Object> m, String key, String value) {
        String v = value.strip();
        if (!v.isEmpty()) {
            m.put(key, WHOLE.matcher(v).matches() ? (Object) Long.parseLong(v) : v);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String count(int n) {
        return n < 0 ? "" : Integer.toString(n);
    }
}
