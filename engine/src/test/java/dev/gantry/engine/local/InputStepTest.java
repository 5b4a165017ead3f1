package dev.gantry.engine.local;

import dev.gantry.api.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code input} step: ids, parameters, return values, submitterParameter, abort. */
class InputStepTest {
    @TempDir
    Path dir;

    @Test
    void withoutParametersReturnsNull() throws Exception {
        PipelineHarness.run(dir, "def r = input 'Ship it?'\necho \"returned=${r}\"", r -> r.input("Ship-it"))
                .assertResult(Result.SUCCESS).assertLog("Input requested: Ship it? (id Ship-it)", "returned=null");
    }

    @Test
    void oneParameterReturnsItsValue() throws Exception {
        PipelineHarness.run(dir, """
                def v = input message: 'Version?', id: 'ver', parameters: [string(name: 'V', defaultValue: '1.0')]
                echo "v=${v}"
                """, r -> r.input("ver=2.0")).assertResult(Result.SUCCESS).assertLog("v=2.0");
    }

    @Test
    void severalParametersReturnAMap() throws Exception {
        PipelineHarness.run(dir, """
                def m = input message: 'Release', id: 'rel', parameters: [
                    string(name: 'V', defaultValue: '1.0'),
                    booleanParam(name: 'PUBLISH', defaultValue: false),
                    choice(name: 'WHERE', choices: ['a', 'b'])
                ]
                echo "v=${m.V} publish=${m.PUBLISH} bool=${m.PUBLISH instanceof Boolean} where=${m.WHERE}"
                """, r -> r.input("rel.V=3").input("rel.PUBLISH=true")).assertResult(Result.SUCCESS)
                .assertLog("v=3 publish=true bool=true where=a");
    }

    @Test
    void submitterParameterAddsTheAnswerer() throws Exception {
        PipelineHarness.run(dir, """
                def m = input message: 'Who', id: 'who', submitterParameter: 'BY', parameters: [string(name: 'X', defaultValue: 'x')]
                echo "x=${m.X} by=${m.BY}"
                def only = input message: 'Approver', id: 'appr', submitterParameter: 'BY'
                echo "only=${only}"
                """, r -> r.input("who=y").input("appr")).assertResult(Result.SUCCESS).assertLog("x=y by=local user", "only=local user");
    }

    @Test
    void abortEndsTheBuildAborted() throws Exception {
        PipelineHarness.run(dir, """
                try {
                    input message: 'Go?', id: 'go'
                } finally {
                    echo 'finally-after-abort'
                }
                echo 'never'
                """, r -> r.input("go=abort")).assertResult(Result.ABORTED).assertLog("Aborted by local user", "finally-after-abort").assertNoLog("never\n");
    }

    @Test
    void unansweredInANonInteractiveRunAbortsSayingHowToAnswer() throws Exception {
        PipelineHarness.run(dir, "input message: 'Deploy?', id: 'deploy'").assertResult(Result.ABORTED)
                .assertLog("--input deploy", "--input deploy=abort");
    }
}
