package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.plugin.TestPluginJar;
import dev.gantry.engine.testing.ControllerFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin's credential binding in a controller's builds: called in withCredentials like a
 * built-in one (scripted, declarative, on a remote agent), its values masked, its file written
 * beside the agent's workspace and deleted when the block ends; a binding that takes a built-in
 * symbol is left out with a warning naming the plugin; a job using an unknown binding is refused
 * naming the position and the bindings there are.
 */
class PluginCredentialBindingsTest {
    @TempDir
    Path dir;

    private static String binding(String cls, String symbol) {
        return "package vault;\nimport dev.gantry.api.credentials.*;\nimport dev.gantry.api.workspace.Workspace;\nimport java.util.*;\n"
                + "@org.pf4j.Extension\npublic class " + cls + " implements CredentialBinding {\n"
                + "  public String symbol() { return \"" + symbol + "\"; }\n"
                + "  public Map<String, String> bind(Credential c, Map<String, Object> args, Workspace ws) throws java.io.IOException {\n"
                + "    Map<String, String> out = new LinkedHashMap<>();\n"
                + "    out.put((String) args.get(\"variable\"), \"tok-\" + new StringBuilder(c.field(\"secret\")).reverse());\n"
                + "    if (args.containsKey(\"fileVariable\")) {\n"
                + "      ws.write(\"token.txt\", new java.io.ByteArrayInputStream(c.field(\"secret\").getBytes()));\n"
                + "      out.put((String) args.get(\"fileVariable\"), ws.path() + \"/token.txt\");\n"
                + "    }\n"
                + "    return out;\n  }\n"
                + "  public Set<String> publicVariables(Map<String, String> bound) {\n"
                + "    Set<String> s = new HashSet<>(); bound.forEach((k, v) -> { if (v.endsWith(\"/token.txt\")) s.add(k); }); return s;\n  }\n}\n";
    }

    @Test
    void aPluginsBindingBindsMasksAndCleansUpOnTheBuiltInNodeAndOnARemoteAgent() throws Exception {
        Path home = dir.resolve("home");
        TestPluginJar.plugin("vault", "1.0.0")
                .source("vault.TokenBinding", binding("TokenBinding", "vaultToken"))
                .source("vault.Clash", binding("Clash", "string"))
                .build(home.resolve("plugins"));
        try (ControllerFixture c = ControllerFixture.in(home).plugins().agents(Duration.ofSeconds(10)).start()) {
            assertEquals(201, c.send("POST", "api/v1/credentials", Map.of("id", "t", "type", "string",
                    "fields", Map.of("secret", "abc123xyz"))).statusCode());

            JsonNode plugin = null;
            for (JsonNode p : c.json("/api/v1/plugins").path("plugins")) {
                if (p.path("id").asText().equals("vault")) {
                    plugin = p;
                }
            }
            assertTrue(plugin != null && plugin.path("warnings").toString().contains(
                    "its credential binding 'string' is left out: a built-in binding or argument helper has that name"), String.valueOf(plugin));

            c.controller.putJob("scripted", """
                    node {
                      withCredentials([vaultToken(credentialsId: 't', variable: 'TOK'), string(credentialsId: 't', variable: 'RAW')]) {
                        sh 'echo "tok=$TOK raw=$RAW"; test "$TOK" = tok-zyx321cba && echo reversed'
                      }
                    }
                    """, null);
            int n = c.controller.trigger("scripted", Map.of(), "Started by test").number();
            c.completed("scripted", n);
            String log = c.log("scripted", n);
            assertEquals("SUCCESS", c.controller.build("scripted", n).orElseThrow().result(), log);
            assertTrue(log.contains("tok=**** raw=****") && log.contains("reversed"), "the built-in string binding is the built-in's: " + log);
            assertFalse(log.contains("zyx321cba") || log.contains("abc123xyz"), log);

            c.controller.putJob("declarative", """
                    pipeline {
                      agent any
                      environment { PREFIX = 'value' }
                      stages { stage('use') { steps {
                        withCredentials([vaultToken(credentialsId: 't', variable: 'TOK')]) { sh 'echo "$PREFIX=$TOK"' }
                      } } }
                    }
                    """, null);
            n = c.controller.trigger("declarative", Map.of(), "Started by test").number();
            c.completed("declarative", n);
            log = c.log("declarative", n);
            assertEquals("SUCCESS", c.controller.build("declarative", n).orElseThrow().result(), log);
            assertTrue(log.contains("value=****"), log);

            try (var agent = c.agent("remote-1", List.of("remote"), dir.resolve("agent"), new ByteArrayOutputStream())) {
                c.controller.putJob("remote", """
                        node('remote') {
                          withCredentials([vaultToken(credentialsId: 't', variable: 'TOK', fileVariable: 'F')]) {
                            writeFile file: 'path.txt', text: env.F
                            sh 'echo "file=$F dirmode=$(stat -c %a "$(dirname "$F")") content=$(cat "$F")"'
                          }
                        }
                        """, null);
                n = c.controller.trigger("remote", Map.of(), "Started by test").number();
                c.completed("remote", n);
                log = c.log("remote", n);
                assertEquals("SUCCESS", c.controller.build("remote", n).orElseThrow().result(), log);
                Path file = Path.of(Files.readString(dir.resolve("agent/workspace/remote/path.txt")));
                assertTrue(file.startsWith(dir.resolve("agent/workspace/remote@tmp")), "beside the agent's workspace: " + file);
                assertTrue(log.contains("file=" + file + " dirmode=700 content=****"), "the path is shown, the content masked: " + log);
                assertFalse(Files.exists(file.getParent()), "the binding's directory is gone after the block: " + file);
            }

            Exception typo = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> c.controller.putJob("typo",
                    "node {\n  withCredentials([vaultTokn(credentialsId: 't', variable: 'TOK')]) { echo 'x' }\n}\n", null));
            assertTrue(typo.getMessage().startsWith("2:20: Unknown credentials binding 'vaultTokn' in withCredentials;"
                    + " did you mean 'vaultToken'?; the bindings are certificate, file, sshUserPrivateKey, string, usernameColonPassword,"
                    + " usernamePassword, vaultToken"), typo.getMessage());
        }
    }
}
