package dev.gantry.engine.local;

import dev.gantry.api.build.TestResults;
import dev.gantry.engine.run.BuildRun;
import dev.gantry.engine.run.StageRecord;
import dev.gantry.engine.testresults.InMemoryTestResults;
import dev.gantry.engine.workspace.LocalArtifactStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON report of a local run, in the vocabulary the REST API uses too: result, duration,
 * stages with parent and result, test totals and artifacts (these two only when recorded).
 */
public final class RunReport {
    private RunReport() {
    }

    public static Map<String, Object> of(BuildRun run, InMemoryTestResults tests, LocalArtifactStore artifacts) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("result", run.result().name());
        r.put("durationMillis", run.durationMillis());
        r.put("job", run.jobName());
        r.put("number", run.number());
        List<Map<String, Object>> stages = new ArrayList<>();
        for (StageRecord s : run.stages()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("parent", s.parent() == null ? null : s.parent().name());
            m.put("result", s.status() == null ? "NOT_EXECUTED" : s.status().name());
            m.put("durationMillis", s.durationMillis());
            stages.add(m);
        }
        r.put("stages", stages);
        if (!tests.cases().isEmpty()) {
            TestResults.Summary sum = tests.summary();
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("total", sum.total());
            t.put("failed", sum.failed());
            t.put("skipped", sum.skipped());
            t.put("passed", sum.passed());
            r.put("tests", t);
        }
        List<String> archived = artifacts.list();
        if (!archived.isEmpty()) {
            r.put("artifacts", archived);
            if (!artifacts.fingerprints().isEmpty()) {
                Map<String, String> fp = new LinkedHashMap<>();
                artifacts.fingerprints().forEach((k, v) -> fp.put(k, v.algorithm() + ":" + v.hexDigest()));
                r.put("fingerprints", fp);
            }
        }
        return r;
    }
}
