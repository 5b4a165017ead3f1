package dev.gantry.engine.local;

import dev.gantry.api.Result;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code when} condition. BRANCH_NAME, TAG_NAME and CHANGE_* are set by Jenkins' SCM
 * integration; here they are given as build parameters, which land in the environment.
 */
class WhenConditionsTest {
    @TempDir
    Path dir;

    private PipelineHarness.Ran whenStages(String stages, Map<String, String> params) throws Exception {
        return PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    environment { DEPLOY_TO = 'production'; MODE = 'Fast' }
                    stages {
                %s
                    }
                }
                """.formatted(stages), r -> r.parameters(params));
    }

    private static String stage(String name, String when) {
        return "stage('" + name + "') {\n when { " + when + " }\n steps { echo 'ran-" + name + "' }\n}\n";
    }

    @Test
    void branchWithComparators() throws Exception {
        whenStages(stage("Glob", "branch 'release-*'")
                        + stage("GlobMiss", "branch 'main'")
                        + stage("Equals", "branch pattern: 'release-1.0', comparator: 'EQUALS'")
                        + stage("EqualsMiss", "branch pattern: 'release-*', comparator: 'EQUALS'")
                        + stage("Regexp", "branch pattern: 'release-\\\\d+\\\\.\\\\d+', comparator: 'REGEXP'")
                        + stage("RegexpMiss", "branch pattern: 'rel', comparator: 'REGEXP'"),
                Map.of("BRANCH_NAME", "release-1.0"))
                .assertResult(Result.SUCCESS)
                .assertStage("Glob", "SUCCESS").assertStage("GlobMiss", "SKIPPED")
                .assertStage("Equals", "SUCCESS").assertStage("EqualsMiss", "SKIPPED")
                .assertStage("Regexp", "SUCCESS").assertStage("RegexpMiss", "SKIPPED")
                .assertLog("ran-Glob", "ran-Equals", "ran-Regexp", "Stage \"GlobMiss\" skipped due to when conditional")
                .assertNoLog("ran-GlobMiss", "ran-EqualsMiss", "ran-RegexpMiss");
    }

    @Test
    void branchIsFalseWithoutBranchName() throws Exception {
        whenStages(stage("B", "branch '*'"), Map.of()).assertResult(Result.SUCCESS).assertStage("B", "SKIPPED");
    }

    @Test
    void tagsAndBuildingTag() throws Exception {
        whenStages(stage("Building", "buildingTag()") + stage("AnyTag", "tag '*'") + stage("V", "tag pattern: 'v\\\\d.*', comparator: 'REGEXP'")
                + stage("Miss", "tag 'rc-*'"), Map.of("TAG_NAME", "v1.2"))
                .assertStage("Building", "SUCCESS").assertStage("AnyTag", "SUCCESS").assertStage("V", "SUCCESS").assertStage("Miss", "SKIPPED");
        whenStages(stage("Building", "buildingTag()") + stage("AnyTag", "tag '*'"), Map.of())
                .assertStage("Building", "SKIPPED").assertStage("AnyTag", "SKIPPED");
    }

    @Test
    void changelogAndChangesetAreFalseWithoutScmChanges() throws Exception {
        whenStages(stage("Log", "changelog '.*fix.*'") + stage("Set", "changeset '**/*.java'"), Map.of())
                .assertResult(Result.SUCCESS).assertStage("Log", "SKIPPED").assertStage("Set", "SKIPPED");
    }

    @Test
    void changeRequest() throws Exception {
        whenStages(stage("Any", "changeRequest()") + stage("Target", "changeRequest target: 'main'")
                        + stage("OtherTarget", "changeRequest target: 'develop'")
                        + stage("Author", "changeRequest authorEmail: '*@example.com', comparator: 'GLOB'"),
                Map.of("CHANGE_ID", "42", "CHANGE_TARGET", "main", "CHANGE_AUTHOR_EMAIL", "dev@example.com"))
                .assertStage("Any", "SUCCESS").assertStage("Target", "SUCCESS").assertStage("OtherTarget", "SKIPPED")
                .assertStage("Author", "SUCCESS");
        whenStages(stage("Any", "changeRequest()"), Map.of()).assertStage("Any", "SKIPPED");
    }

    @Test
    void environmentEqualsAndExpression() throws Exception {
        whenStages(stage("Env", "environment name: 'DEPLOY_TO', value: 'production'")
                        + stage("EnvMiss", "environment name: 'DEPLOY_TO', value: 'staging'")
                        + stage("EnvCase", "environment name: 'MODE', value: 'fast', ignoreCase: true")
                        + stage("EnvCaseMiss", "environment name: 'MODE', value: 'fast'")
                        + stage("Eq", "equals expected: 2, actual: 1 + 1")
                        + stage("EqMiss", "equals expected: 'a', actual: params.P")
                        + stage("Expr", "expression { return params.P == 'b' && env.DEPLOY_TO == 'production' }")
                        + stage("ExprMiss", "expression { false }"),
                Map.of("P", "b"))
                .assertResult(Result.SUCCESS)
                .assertStage("Env", "SUCCESS").assertStage("EnvMiss", "SKIPPED")
                .assertStage("EnvCase", "SUCCESS").assertStage("EnvCaseMiss", "SKIPPED")
                .assertStage("Eq", "SUCCESS").assertStage("EqMiss", "SKIPPED")
                .assertStage("Expr", "SUCCESS").assertStage("ExprMiss", "SKIPPED");
    }

    @Test
    void notAllOfAnyOf() throws Exception {
        whenStages(stage("Not", "not { branch 'main' }")
                        + stage("NotMiss", "not { branch 'feature' }")
                        + stage("All", "allOf { branch 'feature'; environment name: 'DEPLOY_TO', value: 'production' }")
                        + stage("AllMiss", "allOf { branch 'feature'; expression { false } }")
                        + stage("Any", "anyOf { branch 'main'; expression { true } }")
                        + stage("AnyMiss", "anyOf { branch 'main'; tag '*' }")
                        + stage("Nested", "allOf { not { branch 'main' }; anyOf { expression { false }; branch 'feat*' } }")
                        + stage("Implicit", "branch 'feature'\n expression { false }"),
                Map.of("BRANCH_NAME", "feature"))
                .assertStage("Not", "SUCCESS").assertStage("NotMiss", "SKIPPED")
                .assertStage("All", "SUCCESS").assertStage("AllMiss", "SKIPPED")
                .assertStage("Any", "SUCCESS").assertStage("AnyMiss", "SKIPPED")
                .assertStage("Nested", "SUCCESS").assertStage("Implicit", "SKIPPED");
    }

    @Test
    void triggeredBy() throws Exception {
        // A local run is started by its user, so it counts as a UserIdCause, not a timer.
        whenStages(stage("User", "triggeredBy 'UserIdCause'") + stage("Timer", "triggeredBy 'TimerTrigger'"), Map.of())
                .assertStage("User", "SUCCESS").assertStage("Timer", "SKIPPED");
    }

    @Test
    void whenIsEvaluatedAfterStageEnvironmentUnlessBeforeAgent() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent none
                    stages {
                        stage('SeesStageEnv') {
                            agent any
                            environment { LOCAL = 'yes' }
                            when { environment name: 'LOCAL', value: 'yes' }
                            steps { echo 'ran-local' }
                        }
                        stage('BeforeAgent') {
                            agent any
                            environment { LOCAL = 'yes' }
                            when { beforeAgent true; environment name: 'LOCAL', value: 'yes' }
                            steps { echo 'ran-before-agent' }
                        }
                        stage('SkippedBeforeAgent') {
                            agent any
                            when { beforeAgent true; expression { false } }
                            steps { echo 'never' }
                        }
                    }
                }
                """).assertResult(Result.SUCCESS).assertStage("SeesStageEnv", "SUCCESS").assertStage("BeforeAgent", "SKIPPED")
                .assertStage("SkippedBeforeAgent", "SKIPPED").assertLog("ran-local").assertNoLog("ran-before-agent", "never");
    }

    @Test
    void beforeInputSkipsWithoutAsking() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Deploy') {
                            when { beforeInput true; branch 'main' }
                            input { message 'Deploy?' }
                            steps { echo 'deployed' }
                        }
                        stage('AskedFirst') {
                            when { expression { env.Who == 'me' } }
                            input { message 'Who?'; id 'who'; parameters { string(name: 'Who', defaultValue: 'x') } }
                            steps { echo "asked ${Who}" }
                        }
                    }
                }
                """, r -> r.input("who=me")).assertResult(Result.SUCCESS).assertStage("Deploy", "SKIPPED")
                .assertStage("AskedFirst", "SUCCESS").assertNoLog("Deploy?", "deployed").assertLog("asked me");
    }

    @Test
    void beforeAgentIsEvaluatedAfterTheInput() throws Exception {
        // Jenkins asks a stage's input before it evaluates a beforeAgent when, so the when sees the answer.
        PipelineHarness.run(dir, """
                pipeline {
                    agent none
                    stages {
                        stage('Gate') {
                            agent any
                            input { message 'Who?'; id 'who'; parameters { string(name: 'WHO', defaultValue: 'x') } }
                            when { beforeAgent true; environment name: 'WHO', value: 'me' }
                            steps { echo "gate passed by ${WHO}" }
                        }
                    }
                }
                """, r -> r.input("who=me")).assertResult(Result.SUCCESS).assertStage("Gate", "SUCCESS").assertLog("gate passed by me");
    }

    @Test
    void beforeOptionsSkipsBeforeTheStageTimeoutStarts() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('S') {
                            options { timeout(time: 1, unit: 'SECONDS') }
                            when { beforeOptions true; expression { false } }
                            steps { echo 'never' }
                        }
                    }
                }
                """).assertResult(Result.SUCCESS).assertStage("S", "SKIPPED").assertNoLog("never");
    }

    @Test
    void skippedStageSkipsNestedStagesAndItsPost() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Outer') {
                            when { expression { false } }
                            stages {
                                stage('Inner1') { steps { echo 'inner1' } }
                                stage('Inner2') { steps { echo 'inner2' } }
                            }
                            post { always { echo 'outer-post' } }
                        }
                        stage('Par') {
                            when { expression { false } }
                            parallel {
                                stage('B1') { steps { echo 'b1' } }
                            }
                        }
                        stage('After') { steps { echo 'after' } }
                    }
                }
                """).assertResult(Result.SUCCESS).assertStage("Outer", "SKIPPED").assertStage("Inner1", "SKIPPED")
                .assertStage("Inner2", "SKIPPED").assertStage("Par", "SKIPPED").assertStage("B1", "SKIPPED")
                .assertStage("After", "SUCCESS").assertNoLog("inner1", "inner2", "outer-post", "b1\n").assertLog("after");
    }
}
