package dev.gantry.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.pipeline.PipelineLinter;
import dev.gantry.engine.steps.StepLibrary;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobCompilerTest {
    private static final JobCompiler COMPILER = new JobCompiler(new PipelineLinter(StepLibrary.builtins()));

    private static JobCompiler.Compiled compile(String script, JobSpec spec) {
        return COMPILER.compile(new JobDefinition("j", script, spec));
    }

    @Test
    void optionsAndParametersAreReadFromTheDeclarativePipeline() {
        String script = """
                pipeline {
                  agent any
                  options {
                    quietPeriod(7)
                    disableConcurrentBuilds(abortPrevious: true)
                    buildDiscarder(logRotator(numToKeepStr: '10', daysToKeepStr: '', artifactNumToKeepStr: 3, artifactDaysToKeepStr: '-1'))
                    timestamps()
                  }
                  parameters {
                    string(name: 'WHO', defaultValue: 'world', trim: true)
                    booleanParam(name: 'FAST', defaultValue: true, description: 'go fast')
                    choice(name: 'ENV', choices: ['dev', 'prod'])
                    choice(name: 'LINES', choices: 'a\\nb')
                  }
                  stages { stage('S') { steps { echo "hi ${params.WHO}" } } }
                }
                """;
        JobCompiler.Compiled c = compile(script, JobSpec.EMPTY);
        assertEquals(List.of(), c.problems());
        assertEquals(new JobOptions(7, true, true, new LogRotator(-1, 10, -1, 3)), c.settings().options());
        assertEquals(List.of(
                new ParameterDefinition("string", "WHO", "world", null, List.of(), true),
                new ParameterDefinition("booleanParam", "FAST", true, "go fast", List.of(), false),
                new ParameterDefinition("choice", "ENV", null, null, List.of("dev", "prod"), false),
                new ParameterDefinition("choice", "LINES", null, null, List.of("a", "b"), false)), c.settings().parameters());
    }

    @Test
    void theDefinitionOverridesThePipelineOptionByOption() {
        String script = "pipeline { agent any\n options { quietPeriod(7); disableConcurrentBuilds() }\n"
                + " parameters { string(name: 'A', defaultValue: 'a') }\n stages { stage('S') { steps { echo 'x' } } } }";
        JobSpec spec = new JobSpec(null, null, List.of(new ParameterDefinition("string", "A", "override", null, List.of(), false),
                new ParameterDefinition("text", "B", "", null, List.of(), false)), new JobOptions(0, null, null, new LogRotator(-1, 5, -1, -1)));
        JobCompiler.Compiled c = compile(script, spec);
        assertEquals(new JobOptions(0, true, false, new LogRotator(-1, 5, -1, -1)), c.settings().options());
        assertEquals(List.of("A", "B"), c.settings().parameters().stream().map(ParameterDefinition::name).toList());
        assertEquals("override", c.settings().parameters().get(0).defaultValue());
    }

    @Test
    void scriptedPipelinesTakeOptionsFromTheDefinitionOnly() {
        JobSpec spec = new JobSpec(null, null, List.of(), new JobOptions(3, true, false, null));
        JobCompiler.Compiled c = compile("node { echo 'x' }", spec);
        assertTrue(c.ok());
        assertEquals(new JobOptions(3, true, false, null), c.settings().options());
    }

    @Test
    void optionsTheControllerCannotReadAreProblemsAtTheirPlace() {
        String script = "pipeline { agent any\n options { quietPeriod(env.QUIET as int)\n"
                + "  buildDiscarder(logRotator(numToKeepStr: 'ten')) }\n stages { stage('S') { steps { echo 'x' } } } }";
        JobCompiler.Compiled c = compile(script, JobSpec.EMPTY);
        assertEquals(2, c.problems().size(), c.problems().toString());
        assertEquals(2, c.problems().get(0).line());
        assertTrue(c.problems().get(0).message().startsWith("quietPeriod must be a whole number of seconds"), c.problems().toString());
        assertEquals(3, c.problems().get(1).line());
        assertTrue(c.problems().get(1).message().contains("numToKeepStr of logRotator must be a whole number such as '10'"), c.problems().toString());
    }

    @Test
    void lintProblemsComeBackWithTheirScriptPositions() {
        JobCompiler.Compiled c = compile("pipeline { agent any }", JobSpec.EMPTY);
        assertTrue(!c.ok() && c.problems().get(0).message().contains("stages"), c.problems().toString());
    }

    @Test
    void scmJobsAreNotLintedUntilTheirPipelineIsFetched() {
        JobSpec spec = new JobSpec("d", new ScmSource("https://example.com/x.git", "main", null), List.of(), new JobOptions(4, null, null, null));
        JobCompiler.Compiled c = COMPILER.compile(new JobDefinition("j", null, spec));
        assertTrue(c.ok());
        assertEquals(4, c.settings().options().quietPeriod());
    }
}
