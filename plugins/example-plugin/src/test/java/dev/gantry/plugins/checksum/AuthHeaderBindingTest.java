package dev.gantry.plugins.checksum;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.api.credentials.Credential;
import dev.gantry.testkit.PluginTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The authHeader credential binding, through withCredentials in the test kit. */
class AuthHeaderBindingTest {
    private static final Credential TOKEN = new Credential("api", "string", Map.of("secret", "s3cr3t-token"), Set.of("secret"));
    private static final Credential LOGIN = new Credential("login", "usernamePassword",
            Map.of("username", "ada", "password", "pa55word"), Set.of("password"));

    @Test
    void secretTextBecomesABearerHeaderMaskedInTheLog(@TempDir Path ws) {
        PluginTestKit.TestRun run = PluginTestKit.create().workspace(ws).credential(TOKEN)
                .run("node { withCredentials([authHeader(credentialsId: 'api', variable: 'AUTH')]) {\n"
                        + "  sh 'echo \"header=$AUTH\"; test \"$AUTH\" = \"Bearer s3cr3t-token\" && echo matches'\n} }")
                .assertSuccess()
                .assertLogContains("header=****")
                .assertLogContains("matches");
        assertFalse(run.log().contains("s3cr3t-token"), run.log());
    }

    @Test
    void aUsernameWithPasswordBecomesABasicHeaderWhoseDerivedValueIsMaskedToo(@TempDir Path ws) {
        String basic = Base64.getEncoder().encodeToString("ada:pa55word".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        PluginTestKit.TestRun run = PluginTestKit.create().workspace(ws).credential(LOGIN)
                .run("pipeline { agent any\n stages { stage('s') { steps {\n"
                        + "  withCredentials([authHeader(credentialsId: 'login', variable: 'AUTH')]) { sh 'echo \"h=$AUTH\"' }\n"
                        + "} } } }")
                .assertSuccess()
                .assertLogContains("h=****");
        assertFalse(run.log().contains(basic), run.log());
    }

    @Test
    void theHeaderFileIsWrittenOutsideTheWorkspaceAndGoneAfterTheBlock(@TempDir Path ws) throws Exception {
        PluginTestKit.TestRun run = PluginTestKit.create().workspace(ws).credential(TOKEN)
                .run("node { withCredentials([authHeader(credentialsId: 'api', variable: 'AUTH', headerFileVariable: 'HF')]) {\n"
                        + "  sh 'echo \"file=$HF\"; cat \"$HF\"'\n  env.SEEN = env.HF\n}\n"
                        + "  sh 'test ! -e \"$SEEN\" && echo deleted' }")
                .assertSuccess()
                .assertLogContains("Authorization: ****")
                .assertLogContains("deleted");
        String line = run.log().lines().filter(l -> l.startsWith("file=")).findFirst().orElseThrow();
        Path file = Path.of(line.substring("file=".length()));
        assertTrue(file.endsWith(AuthHeaderBinding.HEADER_FILE), line);
        assertFalse(file.startsWith(ws.toAbsolutePath()), "written outside the workspace: " + file);
        assertFalse(Files.exists(file.getParent()), "its directory is deleted too: " + file);
        try (var files = Files.walk(ws)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().equals(AuthHeaderBinding.HEADER_FILE)));
        }
    }

    @Test
    void aCredentialOfAnotherTypeFailsNamingIt(@TempDir Path ws) {
        PluginTestKit.create().workspace(ws)
                .credential(new Credential("key", "sshUserPrivateKey", Map.of("username", "git", "privateKey", "k"), Set.of("privateKey")))
                .run("node { withCredentials([authHeader(credentialsId: 'key', variable: 'AUTH')]) { echo 'never' } }")
                .assertResult(Result.FAILURE)
                .assertLogContains("authHeader(credentialsId: 'key'): the credential is of type sshUserPrivateKey;"
                        + " authHeader takes secret text (string) or a username with password (usernamePassword)");
    }

    @Test
    void aMistypedBindingIsReportedWithItsPositionAndTheKnownBindings() {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> PluginTestKit.create().credential(TOKEN)
                .run("node {\n  withCredentials([authHeadr(credentialsId: 'api', variable: 'AUTH')]) { echo 'x' }\n}"));
        assertTrue(e.getMessage().contains("Jenkinsfile:2:20: Unknown credentials binding 'authHeadr' in withCredentials;"
                + " did you mean 'authHeader'?; the bindings are authHeader, certificate, file, sshUserPrivateKey, string,"
                + " usernameColonPassword, usernamePassword"), e.getMessage());
    }
}
