package dev.gantry.engine.server;

import dev.gantry.engine.testing.ControllerFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pending {@code input}s answered over HTTP against a real controller with one executor. */
class InputApiTest {
    private static final String ASKING = """
            pipeline {
              agent none
              stages {
                stage('Ship') {
                  steps {
                    script {
                      def answer = input id: 'ship', message: 'Ship it?', ok: 'Ship', submitter: 'alice,bob',
                          parameters: [string(name: 'TARGET', defaultValue: 'staging', description: 'where'),
                                       booleanParam(name: 'FORCE', defaultValue: false),
                                       choice(name: 'SIZE', choices: ['small', 'large'])]
                      echo "shipping to ${answer.TARGET} force=${answer.FORCE} size=${answer.SIZE}"
                    }
                  }
                }
              }
            }
            """;

    @TempDir
    Path home;
    ControllerFixture c;

    @BeforeEach
    void start() throws Exception {
        c = ControllerFixture.start(home, 1);
        for (String user : new String[] {"alice", "bob", "mallory"}) {
            c.security.createUser(user, user + "-password");
            c.security.grant(user, dev.gantry.engine.security.Role.DEVELOPER, "");
        }
    }

    /** Sends as {@code user}, signed in with HTTP Basic. */
    private HttpResponse<String> as(String user, String path, Object body) {
        return c.sendWith(ControllerFixture.basic(user, user + "-password"), "POST", path, body);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    private String inputs(int number) {
        return "api/v1/jobs/ship/builds/" + number + "/inputs";
    }

    @Test
    void aWaitingInputIsListedAndProceedsWithTypedValues() throws Exception {
        c.putJob("ship", ASKING);
        int n = c.triggerWith("ship", Map.of());
        JsonNode pending = c.waitingInputs("ship", n);
        JsonNode in = pending.get(0);
        assertEquals("ship", in.get("id").asText());
        assertEquals("Ship it?", in.get("message").asText());
        assertEquals("Ship", in.get("ok").asText());
        assertEquals("alice,bob", in.get("submitter").asText());
        assertEquals("TARGET", in.get("parameters").get(0).get("name").asText());
        assertEquals("string", in.get("parameters").get(0).get("type").asText());
        assertEquals("staging", in.get("parameters").get(0).get("defaultValue").asText());
        assertEquals("[\"small\",\"large\"]", in.get("parameters").get(2).get("choices").toString());
        assertEquals("RUNNING", c.build("ship", n).get("status").asText());

        c.putJob("other", "pipeline { agent any\n stages { stage('A') { steps { echo 'other ran' } } } }");
        int other = c.triggerWith("other", Map.of());
        assertEquals("SUCCESS", c.completed("other", other).get("result").asText(), "a waiting build does not hold the only executor");

        HttpResponse<String> wrongType = as("alice", inputs(n) + "/ship/proceed",
                Map.of("parameters", Map.of("FORCE", "yes", "SIZE", "huge", "NOPE", 1)));
        assertEquals(400, wrongType.statusCode(), wrongType.body());
        assertTrue(wrongType.body().contains("FORCE") && wrongType.body().contains("JSON boolean"), wrongType.body());
        assertTrue(wrongType.body().contains("must be one of [small, large]") && wrongType.body().contains("no parameter"), wrongType.body());
        HttpResponse<String> stranger = as("mallory", inputs(n) + "/ship/proceed", Map.of());
        assertEquals(403, stranger.statusCode(), stranger.body());
        assertTrue(stranger.body().contains("may only be answered by alice, bob"), stranger.body());
        HttpResponse<String> claiming = as("mallory", inputs(n) + "/ship/proceed", Map.of("submitter", "alice"));
        assertEquals(403, claiming.statusCode(), "the body's submitter is not who answers: " + claiming.body());
        assertEquals(403, c.send("POST", inputs(n) + "/ship/proceed", Map.of("submitter", "alice")).statusCode(),
                "the admin is not on the input's list either");
        HttpResponse<String> unknown = c.send("POST", inputs(n) + "/nope/proceed", null);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("it waits for: ship"), unknown.body());

        HttpResponse<String> ok = as("alice", inputs(n) + "/ship/proceed",
                Map.of("submitter", "bob", "parameters", Map.of("TARGET", "prod", "FORCE", true)));
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode b = c.completed("ship", n);
        String log = c.log("ship", n);
        assertEquals("SUCCESS", b.get("result").asText(), log);
        assertTrue(log.contains("shipping to prod force=true size=small"), log);
        assertTrue(log.contains("Input 'ship' proceeded over the REST API by alice") && log.contains("Approved by alice"), log);
        assertEquals(0, ControllerFixture.parse(c.get(inputs(n))).get("inputs").size());
        assertEquals(404, as("alice", inputs(n) + "/ship/proceed", Map.of()).statusCode(), "answered already");
    }

    @Test
    void anAbortedInputAbortsTheBuildAndSaysWho() throws Exception {
        c.putJob("ship", ASKING);
        int n = c.triggerWith("ship", Map.of());
        c.waitingInputs("ship", n);
        assertEquals(403, as("mallory", inputs(n) + "/ship/abort", Map.of("submitter", "bob")).statusCode(), "not on the list");
        HttpResponse<String> r = as("bob", inputs(n) + "/ship/abort", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode b = c.completed("ship", n);
        String log = c.log("ship", n);
        assertEquals("ABORTED", b.get("result").asText(), log);
        assertTrue(log.contains("Rejected by bob"), log);
        assertTrue(!log.contains("shipping to"), log);
    }

    @Test
    void aTimeoutAroundAnInputEndsTheWait() throws Exception {
        c.putJob("ship", """
                pipeline {
                  agent none
                  stages {
                    stage('Wait') {
                      steps {
                        timeout(time: 1, unit: 'SECONDS') { input message: 'Anyone?' }
                      }
                    }
                  }
                }
                """);
        int n = c.triggerWith("ship", Map.of());
        JsonNode b = c.completed("ship", n);
        String log = c.log("ship", n);
        assertEquals("ABORTED", b.get("result").asText(), log);
        assertTrue(log.contains("Timeout has been exceeded") || log.contains("Cancelling nested steps due to timeout"), log);
        assertEquals(0, ControllerFixture.parse(c.get(inputs(n))).get("inputs").size());
    }

    @Test
    void stoppingAWaitingBuildAbortsIt() throws Exception {
        c.putJob("ship", ASKING);
        int n = c.triggerWith("ship", Map.of());
        c.waitingInputs("ship", n);
        assertEquals(202, c.send("POST", "api/v1/jobs/ship/builds/" + n + "/stop", null).statusCode());
        assertEquals("ABORTED", c.completed("ship", n).get("result").asText());
    }
}
