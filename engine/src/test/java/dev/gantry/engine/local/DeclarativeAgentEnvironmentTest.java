package dev.gantry.engine.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agent} in its forms and {@code environment} at pipeline and stage level. */
class DeclarativeAgentEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void agentAnyGivesEveryStageTheWorkspace() throws Exception {
        PipelineHarness.Ran r = PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('A') { steps { writeFile file: 'a.txt', text: 'hello'; sh 'echo "ws=$WORKSPACE"' } }
                    }
                }
                """).assertResult(Result.SUCCESS).assertLog("ws=" + dir.resolve("ws"));
        assertTrue(Files.exists(r.workspace().resolve("a.txt")));
    }

    @Test
    void agentNoneWithPerStageAgents() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent none
                    stages {
                        stage('Plain') { steps { echo 'no workspace needed' } }
                        stage('Build') {
                            agent any
                            steps { sh 'echo "node=$NODE_NAME"' }
                        }
                        stage('Labelled') {
                            agent { label 'linux && big' }
                            steps { sh 'echo labelled-ran' }
                        }
                    }
                }
                """).assertResult(Result.SUCCESS).assertStage("Build", "SUCCESS").assertStage("Labelled", "SUCCESS")
                .assertLog("no workspace needed", "node=local", "labelled-ran", "linux && big");
    }

    @Test
    void aStepNeedingAWorkspaceUnderAgentNoneFailsClearly() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent none
                    stages {
                        stage('NoNode') { steps { sh 'echo never' } }
                    }
                }
                """).assertResult(Result.FAILURE).assertStage("NoNode", "FAILURE")
                .assertLog("Step 'sh' needs a workspace", "agent none").assertNoLog("never\n");
    }

    @Test
    void agentLabelAndNodeWithCustomWorkspace() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent { label 'any-label' }
                    stages {
                        stage('Custom') {
                            agent { node { label 'x'; customWorkspace 'custom-ws' } }
                            steps { writeFile file: 'c.txt', text: 'c'; sh 'echo "ws=$WORKSPACE"' }
                        }
                        stage('Default') { steps { sh 'echo "default=$WORKSPACE"' } }
                    }
                }
                """).assertResult(Result.SUCCESS)
                .assertLog("ws=" + dir.resolve("custom-ws"), "default=" + dir.resolve("ws"));
        assertTrue(Files.exists(dir.resolve("custom-ws/c.txt")));
    }

    @Test
    void environmentSeesEarlierEntriesParamsAndBuildNumber() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    parameters { string(name: 'WHO', defaultValue: 'world') }
                    environment {
                        A = 'one'
                        B = "${A}-two"
                        C = "${params.WHO}/${BUILD_NUMBER}"
                        D = "${env.B}!"
                    }
                    stages {
                        stage('S') { steps { sh 'echo "A=$A B=$B C=$C D=$D"'; echo "groovy B=${B} env.C=${env.C}" } }
                    }
                }
                """, r -> r.number(7)).assertResult(Result.SUCCESS)
                .assertLog("A=one B=one-two C=world/7 D=one-two!", "groovy B=one-two env.C=world/7");
    }

    @Test
    void stageEnvironmentOverridesPipelineEnvironmentOnlyInThatStage() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    environment { COLOR = 'red'; SIZE = 'big' }
                    stages {
                        stage('Inner') {
                            environment { COLOR = 'blue'; BOTH = "${COLOR}-${SIZE}" }
                            steps { sh 'echo "inner=$COLOR $BOTH"' }
                        }
                        stage('After') { steps { sh 'echo "after=$COLOR"' } }
                    }
                }
                """).assertResult(Result.SUCCESS).assertLog("inner=blue blue-big", "after=red");
    }

    @Test
    void envAssignmentsAreVisibleInLaterStages() throws Exception {
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('Set') { steps { script { env.VERSION = '1.2.' + (2 + 1) } } }
                        stage('Use') { steps { sh 'echo "version=$VERSION"'; echo "groovy=${env.VERSION} bare=${VERSION}" } }
                    }
                }
                """).assertResult(Result.SUCCESS).assertLog("version=1.2.3", "groovy=1.2.3 bare=1.2.3");
    }

    @Test
    void withEnvPrependsToPathWithPlusSyntax() throws Exception {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Path tool = tools.resolve("mytool");
        Files.writeString(tool, "#!/bin/sh\necho mytool-ran\n");
        assertTrue(tool.toFile().setExecutable(true));
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('S') {
                            steps {
                                withEnv(['PATH+EXTRA=%s', 'GREETING=hi']) {
                                    sh 'mytool; echo "greeting=$GREETING"; echo "path=$PATH"'
                                }
                                sh 'echo "outside=${GREETING:-unset}"'
                            }
                        }
                    }
                }
                """.formatted(tools)).assertResult(Result.SUCCESS)
                .assertLog("mytool-ran", "greeting=hi", "path=" + tools + ":", "outside=unset");
    }
}
