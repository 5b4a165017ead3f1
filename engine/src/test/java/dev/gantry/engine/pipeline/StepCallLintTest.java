package dev.gantry.engine.pipeline;

import static dev.gantry.engine.pipeline.TestSteps.assertClean;
import static dev.gantry.engine.pipeline.TestSteps.assertProblem;
import static dev.gantry.engine.pipeline.TestSteps.inSteps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Step calls checked against the step library, in declarative steps and in scripted code. */
class StepCallLintTest {

    @Test
    void unknownStepSuggestsTheClosestOrNothing() {
        assertProblem(inSteps("        ech 'hi'"), 6, "Unknown step 'ech'; did you mean 'echo'?");
        LintResult r = assertProblem(inSteps("        frobnicateTheWidgets 'hi'"), 6,
                "Unknown step 'frobnicateTheWidgets'");
        assertFalse(r.problems().get(0).message().contains("did you mean"));
        assertProblem("node {\n  stage('x') {\n    shh 'ls'\n  }\n}\n", 3, "Unknown step 'shh'", "'sh'");
    }

    @Test
    void namedArgumentsAreCheckedByName() {
        assertClean(inSteps("        sh script: 'ls', returnStdout: true, label: 'list', encoding: 'UTF-8'"));
        assertProblem(inSteps("        sh script: 'ls', retunStdout: true"), 6, "Unknown parameter 'retunStdout'",
                "'returnStdout'");
        assertClean(inSteps("        parallel a: { echo 'a' }, b: { echo 'b' }, failFast: true"));
    }

    @Test
    void requiredParametersMustBeGiven() {
        assertProblem(inSteps("        writeFile file: 'a.txt'"), 6, "missing required parameter 'text'");
        assertProblem(inSteps("        sh returnStdout: true"), 6, "missing required parameter 'script'");
        assertClean(inSteps("        script {\n          def args = [file: 'a', text: 'b']\n          writeFile args\n"
                + "        }"));
    }

    @Test
    void unnamedArgumentNeedsAPositionalParameter() {
        assertProblem(inSteps("        writeFile 'a.txt'"), 6, "has no unnamed parameter");
        assertProblem(inSteps("        echo 'a', 'b'"), 6, "at most one unnamed argument");
        assertProblem(inSteps("        sh 'ls', returnStdout: true"), 6, "either named arguments or one unnamed");
    }

    @Test
    void literalTypesAreChecked() {
        assertProblem(inSteps("        sh script: 'ls', returnStatus: 'true'"), 6,
                "Parameter 'returnStatus' of step 'sh' must be a boolean, not a string");
        assertProblem(inSteps("        retry('three') { echo 'x' }"), 6, "must be a whole number, not a string");
        assertProblem(inSteps("        withEnv(42) { echo 'x' }"), 6, "must be a list of strings, not a whole number");
        assertProblem(inSteps("        echo { 'x' }"), 6, "takes no closure body");
        assertProblem(inSteps("        parallel a: 'not a closure'"), 6, "must be a closure");
        assertProblem(inSteps("        timeout(time: 5, unit: 'YEARS') { echo 'x' }"), 6, "must be one of",
                "SECONDS, MINUTES, HOURS, DAYS");
        assertClean(inSteps("        script {\n          def n = 3\n          retry(n) { echo \"${n}\" }\n"
                + "          sh script: \"echo ${n}\", returnStdout: params.VERBOSE\n        }"));
    }

    @Test
    void bodiesAreCheckedAgainstTheBodyKind() {
        assertProblem(inSteps("        dir('sub')"), 6, "needs a closure body");
        assertProblem(inSteps("        junit('a.xml') { echo 'x' }"), 6, "takes no closure body");
        assertClean(inSteps("        dir('sub') { sh 'ls' }\n        timeout(time: 5, unit: 'MINUTES') { sh 'ls' }"));
    }

    @Test
    void scriptBlocksAndScriptedCodeHaveNoFalsePositives() {
        assertClean("""
                def helper(String name) {
                    echo "helper ${name}"
                    return name.toUpperCase()
                }
                def build = { String what -> sh "make ${what}" }
                notify = { msg -> echo msg }
                node('linux') {
                    stage('One') {
                        def items = ['a', 'b']
                        for (item in items) { build(item) }
                        items.each { x -> echo x.trim() }
                        items.eachWithIndex { v, i -> println "${i}=${v}" }
                        try {
                            error 'boom'
                        } catch (Exception failure) {
                            notify(failure.message)
                        }
                        def (first, second) = items
                        printf('%s%n', first)
                        echo sprintf('%s', second)
                        def out = sh(script: 'date', returnStdout: true).trim()
                        helper(out)
                        withCredentials([usernamePassword(credentialsId: 'c', usernameVariable: 'U',
                                passwordVariable: 'P')]) {
                            sh 'echo $U'
                        }
                        currentBuild.description = "built ${env.BUILD_NUMBER}"
                        def branches = [:]
                        branches['x'] = { echo 'x' }
                        parallel branches
                    }
                }
                """);
    }

    @Test
    void symbolsAreOnlyAllowedInArguments() {
        assertClean(inSteps("        withCredentials([string(credentialsId: 'id', variable: 'T')]) { sh 'echo' }"));
        assertProblem(inSteps("        usernamePassword(credentialsId: 'c')"), 6, "Unknown step 'usernamePassword'");
    }

    @Test
    void nestedStepCallsInArgumentsAndClosuresAreChecked() {
        assertProblem(inSteps("        echo redFile('x')"), 6, "Unknown step 'redFile'", "'readFile'");
        assertProblem(inSteps("        dir('a') {\n          ech 'x'\n        }"), 7, "Unknown step 'ech'");
        assertProblem(inSteps("        script {\n          [1, 2].each { n -> ech \"${n}\" }\n        }"), 7,
                "Unknown step 'ech'");
    }

    @Test
    void callsWithAReceiverAreNeverChecked() {
        assertClean(inSteps("        script {\n          def s = 'x'\n          s.ech()\n          this.frob()\n"
                + "          docker.image('x').inside { sh 'ls' }\n        }"));
    }

    @Test
    void sharedLibrariesTurnOffUnknownStepReports() {
        LintResult r = TestSteps.lint("@Library('mylib') _\n" + inSteps("        deployToProd 'x'"));
        assertEquals(0, r.problems().size(), TestSteps.show(r));
    }

    @Test
    void scriptedPipelinesReportEveryBadCall() {
        LintResult r = TestSteps.lint("node {\n  stage('a') {\n    ech 'x'\n    sh returnStdout: 1, script: 'ls'\n"
                + "    dir('x')\n  }\n}\n");
        assertEquals(PipelineKind.SCRIPTED, r.kind());
        TestSteps.assertProblem(r, 3, "Unknown step 'ech'");
        TestSteps.assertProblem(r, 4, "returnStdout", "boolean");
        TestSteps.assertProblem(r, 5, "needs a closure body");
    }
}
