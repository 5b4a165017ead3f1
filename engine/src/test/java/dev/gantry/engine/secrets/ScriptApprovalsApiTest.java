package dev.gantry.engine.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.sandbox.Approvals;
import dev.gantry.engine.testing.ControllerFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Script approvals on the real controller: rejections listed, approved, persisted, denied. */
class ScriptApprovalsApiTest {
    private static final String GET_ENCODER = "staticMethod java.util.Base64 getEncoder";
    private static final String ENCODE = "method java.util.Base64$Encoder encodeToString byte[]";
    private static final String SCRIPT = "node { echo 'encoded: ' + java.util.Base64.getEncoder().encodeToString('hi'.bytes) }";

    @TempDir
    Path home;

    private static JsonNode approval(ControllerFixture f, String signature) {
        for (JsonNode a : f.json("api/v1/script-approvals").get("approvals")) {
            if (a.get("signature").asText().equals(signature)) {
                return a;
            }
        }
        throw new AssertionError(signature + " is not listed: " + f.json("api/v1/script-approvals"));
    }

    private static String build(ControllerFixture f, String expected) {
        int n = f.trigger("encode");
        JsonNode b = f.completed("encode", n);
        String log = f.log("encode", n);
        assertEquals(expected, b.get("result").asText(), log);
        return log;
    }

    @Test
    void aRejectedSignatureIsListedAndPassesOnceApprovedAcrossRestarts() throws Exception {
        try (ControllerFixture f = ControllerFixture.start(home, 1)) {
            f.putJob("encode", SCRIPT);
            String log = build(f, "FAILURE");
            assertTrue(log.contains("Scripts not permitted to use " + GET_ENCODER), log);
            assertTrue(log.contains("/api/v1/script-approvals"), log);
            JsonNode pending = approval(f, GET_ENCODER);
            assertEquals("PENDING", pending.get("status").asText());
            assertEquals("encode", pending.get("firstJob").asText());
            assertEquals(1, pending.get("firstBuild").asInt());
            assertEquals("encode", pending.get("firstScript").asText(), "the controller names a job's script after the job");
            assertEquals(1, pending.get("count").asInt());
            build(f, "FAILURE");
            assertEquals(2, approval(f, GET_ENCODER).get("count").asInt());

            HttpResponse<String> ok = f.send("POST", "api/v1/script-approvals", Map.of("signature", GET_ENCODER, "decision", "approve"));
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("APPROVED", ControllerFixture.parse(ok).get("status").asText());
            log = build(f, "FAILURE");
            assertTrue(log.contains("Scripts not permitted to use " + ENCODE), log);
            assertEquals(200, f.send("POST", "api/v1/script-approvals", Map.of("signature", ENCODE, "decision", "approve")).statusCode());
            assertTrue(build(f, "SUCCESS").contains("encoded: aGk="));
        }
        try (ControllerFixture f = ControllerFixture.start(home, 1)) {
            assertTrue(build(f, "SUCCESS").contains("encoded: aGk="), "approvals persist across a restart");
            assertEquals(200, f.send("POST", "api/v1/script-approvals", Map.of("signature", ENCODE, "decision", "deny")).statusCode());
            assertEquals("DENIED", approval(f, ENCODE).get("status").asText());
            assertTrue(build(f, "FAILURE").contains("Scripts not permitted to use " + ENCODE));
            assertEquals(204, f.send("DELETE", "api/v1/script-approvals?signature=" + java.net.URLEncoder.encode(ENCODE,
                    java.nio.charset.StandardCharsets.UTF_8), null).statusCode());
        }
    }

    @Test
    void signaturesThatOpenTheSandboxCannotBeApproved() throws Exception {
        try (ControllerFixture f = ControllerFixture.start(home, 1)) {
            for (String sig : new String[] {"method java.lang.Object getMetaClass", "staticMethod java.lang.Class forName java.lang.String",
                    "method groovy.lang.Closure setDelegate java.lang.Object", "staticMethod java.lang.System exit int",
                    "method groovy.lang.GroovyObject $getStaticMetaClass", "drop table script_approvals"}) {
                HttpResponse<String> r = f.send("POST", "api/v1/script-approvals", Map.of("signature", sig, "decision", "approve"));
                assertEquals(400, r.statusCode(), sig + ": " + r.body());
            }
            assertEquals(400, f.send("POST", "api/v1/script-approvals", Map.of("signature", GET_ENCODER, "decision", "maybe")).statusCode());
            f.putJob("meta", "node { String.metaClass.foo = { -> 1 } }");
            int n = f.trigger("meta");
            assertEquals("FAILURE", f.completed("meta", n).get("result").asText());
            String log = f.log("meta", n);
            assertTrue(log.contains("Scripts not permitted to use"), log);
            assertFalse(log.contains("an administrator can approve"), log);
            JsonNode listed = f.json("api/v1/script-approvals").get("approvals");
            assertTrue(listed.size() >= 1);
            assertFalse(listed.get(0).get("approvable").asBoolean());
        }
        assertTrue(Approvals.isApprovable(ENCODE));
        assertTrue(Approvals.isApprovable("new java.io.File java.lang.String"));
    }
}
