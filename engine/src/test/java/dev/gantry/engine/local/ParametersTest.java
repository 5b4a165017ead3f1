package dev.gantry.engine.local;

import dev.gantry.api.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code parameters} directive: defaults, given values, types, {@code params.X} and {@code $X}. */
class ParametersTest {
    @TempDir
    Path dir;

    private static final String PIPELINE = """
            pipeline {
                agent any
                parameters {
                    string(name: 'NAME', defaultValue: '  padded  ', trim: true, description: 'who')
                    string(name: 'RAW', defaultValue: ' raw ')
                    text(name: 'NOTES', defaultValue: 'line1\\nline2')
                    booleanParam(name: 'FLAG', defaultValue: true)
                    choice(name: 'ENV', choices: ['dev', 'staging', 'prod'])
                    password(name: 'SECRET', defaultValue: 's3cret')
                }
                stages {
                    stage('Show') {
                        steps {
                            echo "name=[${params.NAME}] raw=[${params.RAW}] env=${params.ENV}"
                            echo "flag=${params.FLAG} boolean=${params.FLAG instanceof Boolean}"
                            script {
                                if (params.FLAG) { echo 'flag-is-true' } else { echo 'flag-is-false' }
                                echo "notes-lines=${params.NOTES.readLines().size()}"
                                echo "secret-length=${params.SECRET.length()}"
                            }
                            sh 'echo "sh name=[$NAME] env=$ENV flag=$FLAG"'
                        }
                    }
                }
            }
            """;

    @Test
    void defaultsApply() throws Exception {
        PipelineHarness.run(dir, PIPELINE).assertResult(Result.SUCCESS)
                .assertLog("name=[padded] raw=[ raw ] env=dev", "flag=true boolean=true", "flag-is-true",
                        "notes-lines=2", "secret-length=6", "sh name=[padded] env=dev flag=true");
    }

    @Test
    void givenValuesAreConvertedAndTrimmed() throws Exception {
        PipelineHarness.run(dir, PIPELINE, r -> r.parameter("NAME", "  given ").parameter("FLAG", "false").parameter("ENV", "prod"))
                .assertResult(Result.SUCCESS)
                .assertLog("name=[given] raw=[ raw ] env=prod", "flag=false boolean=true", "flag-is-false",
                        "sh name=[given] env=prod flag=false");
    }

    @Test
    void aChoiceNotInTheListFailsClearly() throws Exception {
        PipelineHarness.run(dir, PIPELINE, r -> r.parameter("ENV", "qa")).assertResult(Result.FAILURE)
                .assertLog("ENV", "'qa'", "dev, staging, prod").assertNoLog("name=[");
    }

    @Test
    void choicesAsNewlineSeparatedString() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent none
                    parameters { choice(name: 'C', choices: 'first\\nsecond') }
                    stages { stage('S') { steps { echo "c=${params.C}" } } }
                }
                """).assertResult(Result.SUCCESS).assertLog("c=first");
    }

    @Test
    void undeclaredParametersStillReachParamsAndEnv() throws Exception {
        PipelineHarness.run(dir, """
                node {
                    echo "p=${params.EXTRA}"
                    sh 'echo "sh-extra=$EXTRA"'
                }
                """, r -> r.parameter("EXTRA", "x1")).assertResult(Result.SUCCESS).assertLog("p=x1", "sh-extra=x1");
    }
}
