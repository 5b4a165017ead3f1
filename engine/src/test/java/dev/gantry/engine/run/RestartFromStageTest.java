package dev.gantry.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.api.build.StashStore;
import dev.gantry.engine.local.LocalNodeProvider;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.workspace.LocalStashStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BuildRun.Builder#restartFrom}: the restart point of a declarative build. */
class RestartFromStageTest {
    private static final StepLibrary STEPS = StepLibrary.builtins();
    private static final String PIPELINE = """
            pipeline {
              agent any
              options { preserveStashes(buildCount: 3) }
              environment { WHERE = 'top' }
              stages {
                stage('Build') {
                  steps {
                    echo 'building'
                    writeFile file: 'out.txt', text: 'built'
                    stash name: 'out', includes: 'out.txt'
                  }
                }
                stage('Test') {
                  parallel {
                    stage('Unit') { steps { echo 'unit tests ran' } }
                    stage('Lint') { steps { echo 'lint' } }
                  }
                }
                stage('Deploy') {
                  steps {
                    unstash 'out'
                    echo "deploying ${readFile('out.txt')} from ${env.WHERE} with ${params.TARGET}"
                  }
                }
              }
              post { always { echo 'post ran' } }
            }
            """;

    @TempDir
    Path dir;

    private record Ran(Result result, String log, BuildRun run) {
        String stage(String name) {
            return run.stages().stream().filter(s -> s.name().equals(name)).map(s -> String.valueOf(s.status())).collect(Collectors.joining(","));
        }
    }

    private Ran run(String script, String restartFrom, Path stashes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BuildRun run;
        try (PrintingLogSink sink = new PrintingLogSink(out)) {
            run = BuildRun.builder("job", STEPS, sink, new LocalNodeProvider(dir.resolve("ws")))
                    .service(StashStore.class, new LocalStashStore(stashes))
                    .restartFrom(restartFrom)
                    .build();
            Result r = ScriptRunner.run(run, "Jenkinsfile", script, Map.of("TARGET", "staging"));
            sink.flush();
            return new Ran(r, out.toString(StandardCharsets.UTF_8), run);
        }
    }

    @Test
    void stagesBeforeTheRestartPointAreSkippedAndTheRestRunWithTheStashes() throws Exception {
        Path stashes = dir.resolve("stashes");
        Ran first = run(PIPELINE, null, stashes);
        assertEquals(Result.SUCCESS, first.result(), first.log());
        assertEquals(3, first.run().preservedStashBuilds());

        Ran again = run(PIPELINE.replace("echo 'building'", "error 'must not run'"), "Deploy", stashes);
        assertEquals(Result.SUCCESS, again.result(), again.log());
        assertTrue(again.log().contains("Stage \"Build\" skipped due to this build restarting at stage \"Deploy\""), again.log());
        assertTrue(again.log().contains("Stage \"Test\" skipped due to this build restarting at stage \"Deploy\""), again.log());
        assertTrue(again.log().contains("deploying built from top with staging"), again.log());
        assertTrue(again.log().contains("post ran"), again.log());
        assertTrue(!again.log().contains("must not run") && !again.log().contains("unit tests ran"), again.log());
        assertEquals("SKIPPED", again.stage("Build"));
        assertEquals("SKIPPED", again.stage("Test"));
        assertEquals("SKIPPED", again.stage("Unit"), "children of a skipped stage are skipped too");
        assertEquals("SUCCESS", again.stage("Deploy"));
    }

    @Test
    void restartingAtTheFirstStageRunsEverything() throws Exception {
        Ran r = run(PIPELINE, "Build", dir.resolve("s"));
        assertEquals(Result.SUCCESS, r.result(), r.log());
        assertTrue(!r.log().contains("skipped due to this build restarting"), r.log());
        assertEquals("SUCCESS", r.stage("Unit"));
    }

    @Test
    void aNestedOrParallelStageIsNotARestartPoint() throws Exception {
        Ran r = run(PIPELINE, "Unit", dir.resolve("s"));
        assertEquals(Result.FAILURE, r.result(), r.log());
        assertTrue(r.log().contains("cannot restart at stage 'Unit': it is nested in stage 'Test'"), r.log());
        assertTrue(r.log().contains("top-level ones: Build, Test, Deploy"), r.log());
        assertTrue(!r.log().contains("building") && !r.log().contains("post ran"), "nothing runs: " + r.log());
    }

    @Test
    void anUnknownStageIsRefusedWithASuggestion() throws Exception {
        Ran r = run(PIPELINE, "Deplyo", dir.resolve("s"));
        assertEquals(Result.FAILURE, r.result(), r.log());
        assertTrue(r.log().contains("there is no stage 'Deplyo' to restart at; did you mean 'Deploy'?"), r.log());
        assertTrue(r.run().stages().isEmpty(), "no stage ran");
    }

    @Test
    void aScriptedPipelineCannotBeRestartedFromAStage() throws Exception {
        Ran r = run("node { stage('Build') { echo 'scripted ran' } }", "Build", dir.resolve("s"));
        assertEquals(Result.FAILURE, r.result(), r.log());
        assertTrue(r.log().contains("only a declarative pipeline (pipeline { ... }) can be restarted from a stage"), r.log());
        assertTrue(!r.log().contains("scripted ran"), r.log());
    }

    @Test
    void withoutPreserveStashesNoStashesAreKept() throws Exception {
        Ran r = run(PIPELINE.replace("options { preserveStashes(buildCount: 3) }", ""), null, dir.resolve("s"));
        assertEquals(Result.SUCCESS, r.result(), r.log());
        assertEquals(0, r.run().preservedStashBuilds());
        Ran dflt = run(PIPELINE.replace("preserveStashes(buildCount: 3)", "preserveStashes()"), null, dir.resolve("s2"));
        assertEquals(1, dflt.run().preservedStashBuilds());
    }
}
