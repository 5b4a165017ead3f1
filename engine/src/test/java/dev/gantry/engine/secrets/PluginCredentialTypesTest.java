package dev.gantry.engine.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.plugin.TestPluginJar;
import dev.gantry.engine.testing.ControllerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credential types contributed by plugins: listed, created, checked, used by the plugin's steps; a built-in's id is refused. */
class PluginCredentialTypesTest {
    @TempDir
    Path home;

    private static String type(String cls, String id) {
        return "package vault;\nimport dev.gantry.api.credentials.CredentialType;\nimport java.util.List;\n"
                + "@org.pf4j.Extension\npublic class " + cls + " implements CredentialType {\n"
                + "  public String id() { return \"" + id + "\"; }\n"
                + "  public String displayName() { return \"Vault token (" + cls + ")\"; }\n"
                + "  public List<Field> fields() { return List.of(new Field(\"address\", false, true, \"The Vault address.\"),"
                + " new Field(\"token\", true, true, \"The token.\")); }\n}\n";
    }

    @Test
    void aPluginsTypeIsStoredCheckedAndUsedByItsStepsAndABuiltInIdIsRefused() throws Exception {
        TestPluginJar.plugin("vault", "1.0.0")
                .source("vault.TokenType", type("TokenType", "vault:token"))
                .source("vault.Clash", type("Clash", "string"))
                .step("vault.Read", "vaultAddress", """
                        dev.gantry.api.credentials.Credential c = context.service(dev.gantry.api.credentials.CredentialLookup.class).orElseThrow().find(args.string("value"));
                        return c.type() + " " + c.field("address") + " secret:" + c.secretFields().contains("token") + " length:" + c.field("token").length();
                        """)
                .build(home.resolve("plugins"));
        try (ControllerFixture c = ControllerFixture.in(home).plugins().start()) {
            JsonNode types = c.json("/api/v1/credential-types").path("types");
            JsonNode vault = null;
            int strings = 0;
            for (JsonNode t : types) {
                if (t.path("id").asText().equals("vault:token")) {
                    vault = t;
                }
                if (t.path("id").asText().equals("string")) {
                    strings++;
                    assertEquals("Secret text", t.path("displayName").asText(), "the built-in type keeps its id");
                }
            }
            assertEquals(1, strings);
            assertTrue(vault != null, types.toString());
            JsonNode token = vault.path("fields").get(1);
            assertEquals("address", vault.path("fields").get(0).path("name").asText());
            assertEquals("token", token.path("name").asText());
            assertTrue(token.path("secret").asBoolean() && token.path("required").asBoolean(), token.toString());

            HttpResponse<String> missing = c.send("POST", "/api/v1/credentials", Map.of("id", "v1", "type", "vault:token", "fields", Map.of("address", "https://vault")));
            assertEquals(400, missing.statusCode(), missing.body());
            assertTrue(ControllerFixture.parse(missing).path("message").asText().contains("needs the field 'token'"), missing.body());

            HttpResponse<String> created = c.send("POST", "/api/v1/credentials", Map.of("id", "v1", "type", "vault:token",
                    "fields", Map.of("address", "https://vault", "token", "s3cr3t-token")));
            assertEquals(201, created.statusCode(), created.body());
            assertFalse(created.body().contains("s3cr3t-token"), "the secret field is never shown again: " + created.body());

            c.putJob("use", "def r = vaultAddress 'v1'\necho \"got ${r}\"");
            int n = c.trigger("use");
            assertEquals("SUCCESS", c.completed("use", n).path("result").asText(), c.log("use", n));
            assertTrue(c.log("use", n).contains("got vault:token https://vault secret:true length:12"), c.log("use", n));
        }
        try (ControllerFixture c = ControllerFixture.start(home.resolve("other"), 1)) {
            HttpResponse<String> unknown = c.send("POST", "/api/v1/credentials", Map.of("id", "v2", "type", "vault:token", "fields", Map.of()));
            assertEquals(400, unknown.statusCode(), unknown.body());
            assertTrue(ControllerFixture.parse(unknown).path("message").asText().contains("is the plugin that provides it installed and enabled?"), unknown.body());
        }
    }
}
