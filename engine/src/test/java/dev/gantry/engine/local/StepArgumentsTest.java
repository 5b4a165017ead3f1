package dev.gantry.engine.local;

import dev.gantry.api.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument errors only visible at run time (values from variables), and steps a local run cannot do. */
class StepArgumentsTest {
    @TempDir
    Path dir;

    private PipelineHarness.Ran scripted(String body) throws Exception {
        return PipelineHarness.run(dir, "node {\n" + body + "\n}\n");
    }

    @Test
    void wrongTypeForAnInteger() throws Exception {
        scripted("def n = 'x'\nretry(n) { echo 'never' }").assertResult(Result.FAILURE)
                .assertLog("Invalid arguments for step 'retry': parameter 'count' expects").assertLog("'x'").assertNoLog("never\n");
    }

    @Test
    void numericStringsAreAcceptedForIntegers() throws Exception {
        scripted("def n = '2'\nint tries = 0\nretry(n) { tries++; if (tries < 2) { error 'again' } }\necho \"tries=${tries}\"")
                .assertResult(Result.SUCCESS).assertLog("tries=2");
    }

    @Test
    void wrongTypeForABoolean() throws Exception {
        scripted("def flag = 'true'\nsh(script: 'echo x', returnStdout: flag)").assertResult(Result.FAILURE)
                .assertLog("Invalid arguments for step 'sh': parameter 'returnStdout' expects", "'true'");
    }

    @Test
    void missingRequiredParameter() throws Exception {
        scripted("def args = [text: 'no file']\nwriteFile(args)").assertResult(Result.FAILURE)
                .assertLog("Invalid arguments for step 'writeFile': needs parameter 'file'");
    }

    @Test
    void aNullArgumentIsReportedNotACrash() throws Exception {
        scripted("def unset = null\nwriteFile file: 'x.txt', text: unset").assertResult(Result.FAILURE)
                .assertLog("Invalid arguments for step 'writeFile': needs parameter 'text'", "got null");
    }

    @Test
    void unknownParameterSuggestsTheClosest() throws Exception {
        scripted("def args = [script: 'echo x', returnStdOut: true]\nsh(args)").assertResult(Result.FAILURE)
                .assertLog("has no parameter 'returnStdOut'", "did you mean 'returnStdout'?");
    }

    @Test
    void aChoiceOutsideTheList() throws Exception {
        scripted("def u = 'FORTNIGHTS'\nsleep(time: 1, unit: u)").assertResult(Result.FAILURE)
                .assertLog("Invalid arguments for step 'sleep': parameter 'unit' must be one of", "'FORTNIGHTS'");
    }

    @Test
    void anUnknownStepCalledDynamically() throws Exception {
        scripted("def name = 'ecko'\n\"${name}\"('hi')").assertResult(Result.FAILURE)
                .assertLog("No such step or function 'ecko'", "did you mean 'echo'?");
    }

    @Test
    void aKnownStepCalledDynamicallyWorks() throws Exception {
        scripted("def name = 'echo'\n\"${name}\"('dynamic hello')").assertResult(Result.SUCCESS).assertLog("dynamic hello");
    }

    @Test
    void aStepWithoutItsBody() throws Exception {
        scripted("def f = 'dir'\n\"${f}\"('x')").assertResult(Result.FAILURE).assertLog("Invalid arguments for step 'dir': needs a body");
    }

    @Test
    void buildFailsClearlyInALocalRun() throws Exception {
        scripted("build job: 'other-job', wait: true").assertResult(Result.FAILURE)
                .assertLog("build: triggering job 'other-job' needs a controller");
    }

    @Test
    void anUndefinedVariableNamesIt() throws Exception {
        scripted("echo \"value=${undefinedThing}\"").assertResult(Result.FAILURE).assertLog("undefinedThing");
    }
}
