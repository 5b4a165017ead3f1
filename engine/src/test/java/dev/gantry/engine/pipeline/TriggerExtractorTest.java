package dev.gantry.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gantry.engine.pipeline.TriggerExtractor.Trigger;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerExtractorTest {

    @Test
    void declarativeTriggersAreReadInOrder() {
        String script = """
                pipeline {
                    agent any
                    triggers {
                        cron('''TZ=Europe/Berlin
                # nightly
                H 4 * * 1-5''')
                        pollSCM(scmpoll_spec: 'H/5 * * * *')
                        upstream(upstreamProjects: 'a,team/b', threshold: hudson.model.Result.UNSTABLE)
                        upstream upstreamProjects: 'c', threshold: 'FAILURE'
                        upstream(upstreamProjects: 'd')
                    }
                    stages { stage('x') { steps { echo 'x' } } }
                }
                """;
        assertEquals(List.of(new Trigger("cron", "TZ=Europe/Berlin\n# nightly\nH 4 * * 1-5", null, null),
                new Trigger("pollSCM", "H/5 * * * *", null, null),
                new Trigger("upstream", null, "a,team/b", "UNSTABLE"),
                new Trigger("upstream", null, "c", "FAILURE"),
                new Trigger("upstream", null, "d", "SUCCESS")), TriggerExtractor.extract(script));
    }

    @Test
    void scriptedPipelineTriggersAreRead() {
        String script = """
                properties([buildDiscarder(logRotator(numToKeepStr: '5')), pipelineTriggers([cron('@daily'), upstream(upstreamProjects: 'lib', threshold: Result.SUCCESS)])])
                node { echo 'hi' }
                """;
        assertEquals(List.of(new Trigger("cron", "@daily", null, null), new Trigger("upstream", null, "lib", "SUCCESS")),
                TriggerExtractor.extract(script));
    }

    @Test
    void whatIsOnlyKnownAtRunTimeIsLeftOut() {
        assertEquals(List.of(), TriggerExtractor.extract("pipeline { triggers { cron(env.SCHEDULE); upstream(upstreamProjects: \"${x}\") } }"));
        assertEquals(List.of(), TriggerExtractor.extract("node { echo 'no triggers' }"));
        assertEquals(List.of(), TriggerExtractor.extract("pipeline { triggers { cron('@daily' }"), "does not parse");
        assertEquals(List.of(), TriggerExtractor.extract("def triggers(c) { }\nnode { triggers { cron('@daily') } }"),
                "a triggers block outside pipeline is not one");
    }
}
