package dev.gantry.engine.web.api;

import dev.gantry.engine.jobs.DefinitionProblem;
import dev.gantry.engine.jobs.InvalidDefinitionException;
import dev.gantry.engine.jobs.JobOptions;
import dev.gantry.engine.jobs.LogRotator;
import dev.gantry.engine.jobs.ParameterDefinition;
import dev.gantry.engine.jobs.ScmSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Job definitions as the API writes them: the same shapes a definition file uses, so that what
 * {@code GET} answers can be applied again.
 */
final class DefinitionJson {
    private DefinitionJson() {
    }

    static Map<String, Object> scm(ScmSource s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", s.url());
        if (s.branch() != null) {
            m.put("branch", s.branch());
        }
        m.put("path", s.path());
        if (s.credentialsId() != null) {
            m.put("credentialsId", s.credentialsId());
        }
        return m;
    }

    static List<Object> parameters(List<ParameterDefinition> parameters) {
        List<Object> out = new ArrayList<>();
        for (ParameterDefinition p : parameters) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", p.type());
            m.put("name", p.name());
            if (p.defaultValue() != null && !p.type().equals("password")) {
                m.put("defaultValue", p.defaultValue());
            }
            if (p.description() != null) {
                m.put("description", p.description());
            }
            if (!p.choices().isEmpty()) {
                m.put("choices", p.choices());
            }
            if (p.trim()) {
                m.put("trim", true);
            }
            out.add(m);
        }
        return out;
    }

    static Map<String, Object> options(JobOptions o) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (o.quietPeriod() != null) {
            m.put("quietPeriod", o.quietPeriod());
        }
        if (o.disableConcurrentBuilds() != null) {
            m.put("disableConcurrentBuilds", o.abortsPrevious() ? Map.of("abortPrevious", true) : o.disableConcurrentBuilds());
        }
        LogRotator r = o.buildDiscarder();
        if (r != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            put(d, "numToKeep", r.numToKeep());
            put(d, "daysToKeep", r.daysToKeep());
            put(d, "artifactNumToKeep", r.artifactNumToKeep());
            put(d, "artifactDaysToKeep", r.artifactDaysToKeep());
            m.put("buildDiscarder", d);
        }
        return m;
    }

    /** The definition's triggers as its {@code triggers:} field: only the kinds it declares. */
    static Map<String, Object> triggers(dev.gantry.engine.jobs.JobTriggers t) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (t.cron() != null) {
            m.put("cron", t.cron());
        }
        if (t.pollScm() != null) {
            m.put("pollSCM", t.pollScm());
        }
        if (t.upstreamProjects() != null) {
            m.put("upstream", Map.of("upstreamProjects", t.upstreamProjects(), "threshold", t.threshold()));
        }
        return m;
    }

    private static void put(Map<String, Object> m, String key, int value) {
        if (value >= 0) {
            m.put(key, value);
        }
    }

    /** 400 with every problem: {@code {"code": "invalid_definition", "message", "errors": [{file, line, column, job, field, message}]}}. */
    static ApiException invalid(InvalidDefinitionException e) {
        List<Object> errors = new ArrayList<>();
        for (DefinitionProblem p : e.problems()) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (p.file() != null) {
                m.put("file", p.file());
            }
            if (p.line() > 0) {
                m.put("line", p.line());
                m.put("column", p.column());
            }
            if (p.job() != null) {
                m.put("job", p.job());
            }
            if (p.field() != null) {
                m.put("field", p.field());
            }
            m.put("message", p.message());
            errors.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", "invalid_definition");
        out.put("message", e.getMessage());
        out.put("errors", errors);
        return new ApiException(400, "invalid_definition", e.getMessage(), out);
    }
}
