package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.testing.ControllerFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds whose stages run on agents connected over HTTP, in this JVM. */
class RemoteAgentBuildTest {
    @TempDir
    Path dir;

    @Test
    void stagesRunOnTheAgentsOfTheirLabelsAndStashesMoveBetweenThem() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(dir.resolve("home")).agents(Duration.ofSeconds(10)).start();
             AgentThreads agents = new AgentThreads(c.url)) {
            AgentService.Created a = c.agents.create("agent-a", List.of("alpha"), 2);
            AgentService.Created b = c.agents.create("agent-b", List.of("beta"), 1);
            agents.start(a.name(), a.secret(), dir.resolve("wa"));
            agents.start(b.name(), b.secret(), dir.resolve("wb"), "linux");
            ControllerFixture.await(() -> online(c, "agent-a") && online(c, "agent-b"), Duration.ofSeconds(20), () -> "agents did not connect");
            c.controller.putJob("team/app", """
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
                    """, null);
            int number = c.controller.trigger("team/app", Map.of(), "Started by test").number();
            c.completed("team/app", number);
            BuildRecord build = c.controller.build("team/app", number).orElseThrow();
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

    @Test
    void manyStepsAndALargeOutputReachTheLogWholeInOrderWithSecretsMasked() throws Exception {
        try (ControllerFixture c = ControllerFixture.in(dir.resolve("home")).agents(Duration.ofSeconds(10)).start();
             AgentThreads agents = new AgentThreads(c.url)) {
            assertEquals(201, c.send("POST", "api/v1/credentials", Map.of("id", "tok", "type", "string",
                    "fields", Map.of("secret", "s3cr3t-value"))).statusCode());
            AgentService.Created a = c.agents.create("agent-a", List.of("remote"), 1);
            agents.start(a.name(), a.secret(), dir.resolve("wa"));
            ControllerFixture.await(() -> online(c, "agent-a"), Duration.ofSeconds(20), () -> "the agent did not connect");
            // Steps one after the other (each next task travels in the answer to the previous
            // result), then several MiB of output in binary chunks, a secret among them.
            c.controller.putJob("big", """
                    node('remote') {
                      for (int i = 0; i < 30; i++) {
                        sh "echo step-$i; echo err-$i >&2"
                      }
                      withCredentials([string(credentialsId: 'tok', variable: 'TOK')]) {
                        sh 'seq 1 400000; printf "%s" "$TOK" | head -c 6; printf "%s\\n" "$TOK" | tail -c +7; echo "tail $TOK end"'
                      }
                    }
                    """, null);
            int number = c.controller.trigger("big", Map.of(), "Started by test").number();
            c.completed("big", number);
            String log = c.log("big", number);
            assertEquals("SUCCESS", c.controller.build("big", number).orElseThrow().result(), log.substring(Math.max(0, log.length() - 4000)));
            int at = 0;
            for (int i = 0; i < 30; i++) {
                int step = log.indexOf("step-" + i + "\n", at);
                assertTrue(step >= 0 && log.contains("err-" + i + "\n"), "step " + i + " in order");
                at = step;
            }
            List<String> numbers = log.lines().filter(l -> l.matches("\\d+")).toList();
            assertEquals(400_000, numbers.size(), "every line of seq once");
            for (int i = 0; i < numbers.size(); i++) {
                if (!numbers.get(i).equals(Integer.toString(i + 1))) {
                    throw new AssertionError("line " + (i + 1) + " of seq is " + numbers.get(i));
                }
            }
            assertTrue(!log.contains("s3cr3t-value") && log.contains("tail **** end") && log.contains("****\n"),
                    "the secret is masked, also when written in two pieces: " + log.substring(log.length() - 300));
        }
    }

    private static boolean online(ControllerFixture c, String name) {
        return c.agents.list().stream().anyMatch(a -> a.get("name").equals(name) && Boolean.TRUE.equals(a.get("online")));
    }

    /** Agent processes on threads of their own, stopped on close. */
    private static final class AgentThreads implements AutoCloseable {
        private final String url;
        private final List<AgentProcess> processes = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();

        AgentThreads(String url) {
            this.url = url;
        }

        void start(String name, String secret, Path workdir, String... labels) throws IOException {
            PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            AgentProcess p = new AgentProcess(new AgentProcess.Config(url, name, secret, List.of(labels), null, workdir, null,
                    Duration.ofMillis(500)), out);
            processes.add(p);
            threads.add(Thread.ofVirtual().start(p::run));
        }

        @Override
        public void close() throws InterruptedException {
            for (int i = 0; i < processes.size(); i++) {
                processes.get(i).stop();
                threads.get(i).join(Duration.ofSeconds(20));
            }
        }
    }
}
