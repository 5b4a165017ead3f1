package dev.gantry.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.queue.TriggerService;
import dev.gantry.engine.store.TriggerRow;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A definition's {@code triggers:} field: read and checked as the linter checks triggers, and how it meets the pipeline's own. */
class DefinitionTriggersTest {

    private static String problems(String text) {
        return assertThrows(InvalidDefinitionException.class, () -> DefinitionReader.readFile("jobs.yaml", text)).problems().stream()
                .map(DefinitionProblem::format).collect(Collectors.joining("\n"));
    }

    @Test
    void cronPollScmAndUpstreamAreRead() throws Exception {
        JobDefinition d = DefinitionReader.readFile("jobs.yaml", """
                name: app
                scm: {url: 'https://example.com/app.git'}
                triggers:
                  cron: 'H 4 * * 1-5'
                  pollSCM: 'H/5 * * * *'
                  upstream: {upstreamProjects: 'lib , team/b', threshold: UNSTABLE}
                """).get(0).definition();
        assertEquals(new JobTriggers("H 4 * * 1-5", "H/5 * * * *", "lib,team/b", "UNSTABLE"), d.spec().triggers());
    }

    @Test
    void wrongTriggersAreReportedAtTheirLineWithTheCronParsersReason() {
        String p = problems("""
                name: app
                script: node { }
                triggers:
                  cron: 'H 25 * * *'
                  polSCM: 'H * * * *'
                  upstream: {upstreamProjects: 'a,,b', threshold: SUCCES}
                """);
        assertTrue(p.contains("jobs.yaml:4:9: Invalid cron spec:") && p.contains("hour"), p);
        assertTrue(p.contains("jobs.yaml:5:3: unknown field 'polSCM' in triggers; did you mean 'pollSCM'?"), p);
        assertTrue(p.contains("upstreamProjects must be job names separated by commas"), p);
        assertTrue(p.contains("threshold of upstream must be SUCCESS, UNSTABLE or FAILURE, not 'SUCCES'; did you mean 'SUCCESS'?"), p);
    }

    @Test
    void aRestBodyNamesTheWrongTriggerField() {
        List<DefinitionProblem> p = assertThrows(InvalidDefinitionException.class, () -> DefinitionReader.readBody("app",
                Map.of("script", "node { }", "triggers", Map.of("pollSCM", "every day")))).problems();
        assertEquals("triggers.pollSCM", p.get(0).field(), p.toString());
    }

    @Test
    void declaredKindsReplaceThePipelinesAndTheOthersStay() {
        String script = """
                pipeline {
                    agent any
                    triggers { cron('H H * * *'); upstream(upstreamProjects: 'lib', threshold: hudson.model.Result.SUCCESS) }
                    stages { stage('a') { steps { echo 'x' } } }
                }
                """;
        JobSpec spec = new JobSpec(null, null, List.of(), JobOptions.NONE, new JobTriggers("H 4 * * *", "H/5 * * * *", null, null));
        assertEquals(List.of(new TriggerRow(null, "cron", "H 4 * * *", null, null), new TriggerRow(null, "pollSCM", "H/5 * * * *", null, null),
                new TriggerRow(null, "upstream", null, "lib", "SUCCESS")), TriggerService.rows(spec, script));
        assertEquals(List.of(new TriggerRow(null, "cron", "H H * * *", null, null), new TriggerRow(null, "upstream", null, "lib", "SUCCESS")),
                TriggerService.rows(JobSpec.EMPTY, script), "without declared triggers, the pipeline's");
        assertEquals(List.of(new TriggerRow(null, "pollSCM", "H/5 * * * *", null, null)),
                TriggerService.rows(new JobSpec(null, new ScmSource("u", null, null), List.of(), JobOptions.NONE,
                        new JobTriggers(null, "H/5 * * * *", null, null)), ""), "an SCM job polls before its first build");
    }
}
