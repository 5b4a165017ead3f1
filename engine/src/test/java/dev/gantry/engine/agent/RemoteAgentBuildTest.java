package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.store.BuildRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds whose stages run on agents connected over HTTP, in this JVM. */
class RemoteAgentBuildTest {
    @TempDir
    Path dir;

    @Test
    void stagesRunOnTheAgentsOfTheirLabelsAndStashesMoveBetweenThem() throws Exception {
        try (TestController c = new TestController(dir.resolve("home"), Duration.ofSeconds(10))) {
            AgentService.Created a = c.agents.create("agent-a", List.of("alpha"), 2);
            AgentService.Created b = c.agents.create("agent-b", List.of("beta"), 1);
            c.startAgent(a.name(), a.secret(), dir.resolve("wa"));
            c.startAgent(b.name(), b.secret(), dir.resolve("wb"), "linux");
            TestController.await(() -> c.online("agent-a") && c.online("agent-b"), Duration.ofSeconds(20), () -> "agents did not connect");
            BuildRecord build = c.build("team/app", """
                    pipeline {
                      agent none
                      stages {
                        stage('make') {
                          agent { label 'alpha' }
                          steps {
                            sh 'mkdir -p out && echo "made on $NODE_NAME" > out/made.txt && echo stderr-line >&2'
                            stash name: 'made', includes: 'out/**'
                          }
                        }
                        stage('use') {
                          agent { label 'beta && linux' }
                          steps {
                            unstash 'made'
                            sh 'cat out/made.txt; echo "used on $NODE_NAME" >> out/made.txt'
                            archiveArtifacts 'out/*.txt'
                            script {
                              def text = readFile 'out/made.txt'
                              echo "read back: ${text.readLines().size()} lines"
                              writeFile file: 'w/x.txt', text: 'written'
                              echo "exists: ${fileExists 'w/x.txt'}"
                            }
                          }
                        }
                      }
                    }
                    """);
            String log = c.log("team/app", build.number());
            assertEquals("SUCCESS", build.result(), log);
            assertTrue(log.contains("Running on agent-a in " + dir.resolve("wa").resolve("workspace/team/app")), log);
            assertTrue(log.contains("Running on agent-b in " + dir.resolve("wb").resolve("workspace/team/app")), log);
            assertTrue(log.contains("made on agent-a") && log.contains("stderr-line"), log);
            assertTrue(log.contains("read back: 2 lines") && log.contains("exists: true"), log);
            assertEquals(List.of("out/made.txt"), build.artifacts());
            Path artifact = c.store.artifactsDir("team/app", build.number()).resolve("out/made.txt");
            assertEquals("made on agent-a\nused on agent-b\n", Files.readString(artifact));
            assertEquals("written", Files.readString(dir.resolve("wb/workspace/team/app/w/x.txt")));
        }
    }
}
