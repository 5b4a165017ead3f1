package dev.gantry.engine.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.api.credentials.CredentialLookup;
import dev.gantry.engine.cli.Main;
import dev.gantry.engine.secrets.CredentialsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials in local runs ({@code gantry run --credentials}), bound, masked and cleaned up. */
class CredentialsLocalRunTest {
    private static final String TOKEN = "tok-8f2k-Q1x";
    private static final String KEY = """
            -----BEGIN OPENSSH PRIVATE KEY-----
            b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
            QyNTUxOQAAACBfakeKeyMaterialForTestsOnlyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
            -----END OPENSSH PRIVATE KEY-----
            """;

    @TempDir
    Path dir;

    private CredentialLookup credentials() throws Exception {
        Path file = dir.resolve("creds.yaml");
        Files.writeString(dir.resolve("settings.xml"), "<settings>file-secret-content</settings>");
        StringBuilder key = new StringBuilder();
        for (String line : KEY.split("\n")) {
            key.append("      ").append(line).append('\n');
        }
        Files.writeString(file, """
                credentials:
                  - id: token
                    type: string
                    secret: %s
                  - id: deploy-key
                    type: sshUserPrivateKey
                    username: git
                    passphrase: pass-phrase-77
                    privateKey: |
                %s  - id: settings
                    type: file
                    fileName: settings.xml
                    path: settings.xml
                """.formatted(TOKEN, key));
        return CredentialsFile.read(file);
    }

    @Test
    void keyFilesArePrivateOutsideTheWorkspaceAndGoneAfterTheBlockWhileEveryKeyLineIsMasked() throws Exception {
        CredentialLookup lookup = credentials();
        PipelineHarness.Ran ran = PipelineHarness.run(dir, """
                node {
                    withCredentials([sshUserPrivateKey(credentialsId: 'deploy-key', keyFileVariable: 'KEYFILE',
                                                       passphraseVariable: 'PASS', usernameVariable: 'USER'),
                                     file(credentialsId: 'settings', variable: 'SETTINGS')]) {
                        sh 'stat -c "mode=%a" "$KEYFILE"; echo "user=$USER pass=$PASS"; cat "$KEYFILE"; cat "$SETTINGS"; echo'
                        sh 'echo "$KEYFILE" > keypath.txt; case "$KEYFILE" in "$WORKSPACE"*) echo INSIDE;; *) echo OUTSIDE;; esac'
                    }
                    sh 'test -e "$(cat keypath.txt)" && echo STILL-THERE || echo DELETED'
                }
                """, r -> r.service(CredentialLookup.class, lookup));
        ran.assertResult(Result.SUCCESS).assertLog("mode=600", "user=git pass=****", "OUTSIDE", "DELETED")
                .assertNoLog("INSIDE", "STILL-THERE", "pass-phrase-77", "file-secret-content");
        for (String line : KEY.split("\n")) {
            assertFalse(ran.log().contains(line), "key line in the log: " + line);
        }
    }

    @Test
    void secretsInErrorMessagesExceptionsSplitProcessOutputAndTheJsonLogAreMasked() throws Exception {
        CredentialLookup lookup = credentials();
        Path json = dir.resolve("log.json");
        PipelineHarness.Ran ran = PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    environment { T = credentials('token') }
                    stages {
                        stage('Split') {
                            steps {
                                sh 'set +x; printf "%s" "$(echo $T | cut -c1-5)"; sleep 0.3; printf "%s\\\\n" "$(echo $T | cut -c6-)"'
                                sh 'set +x; head -c 65534 /dev/zero | tr "\\\\0" a; printf "%s\\\\n" "$T"'
                                script {
                                    try {
                                        throw new IllegalStateException("exception with " + env.T)
                                    } catch (IllegalStateException e) {
                                        echo "caught: ${e.message}"
                                    }
                                }
                                error "step failed because of ${env.T}"
                            }
                        }
                    }
                }
                """, r -> r.service(CredentialLookup.class, lookup).jsonLog(json));
        ran.assertResult(Result.FAILURE).assertLog("caught: exception with ****", "step failed because of ****");
        assertFalse(ran.log().contains(TOKEN), ran.log().length() > 2000 ? ran.log().substring(0, 2000) : ran.log());
        assertTrue(ran.log().lines().anyMatch(l -> l.equals("****")), "the split secret is masked on its own line");
        assertTrue(ran.log().contains("aaaa****"), "the long line's secret is masked: "
                + ran.log().lines().map(l -> l.length() > 200 ? l.length() + " chars ending " + l.substring(l.length() - 40) : l).toList());
        assertFalse(Files.readString(json).contains(TOKEN));
        assertFalse(Files.readString(json).contains(TOKEN.substring(0, 8)));
    }

    @Test
    void gantryRunReadsTheCredentialsFile() throws Exception {
        credentials();
        Path jenkinsfile = dir.resolve("Jenkinsfile");
        Files.writeString(jenkinsfile, """
                node {
                    withCredentials([string(credentialsId: 'token', variable: 'T')]) {
                        sh 'test "$T" = "%s" && touch token-was-right'
                    }
                }
                """.formatted(TOKEN));
        Path ws = dir.resolve("cli-ws");
        assertEquals(0, Main.execute("run", jenkinsfile.toString(), "--workspace", ws.toString(),
                "--credentials", dir.resolve("creds.yaml").toString()));
        assertTrue(Files.exists(ws.resolve("token-was-right")));
        Files.writeString(dir.resolve("bad.yaml"), "credentials:\n  - id: x\n    type: string\n");
        assertEquals(2, Main.execute("run", jenkinsfile.toString(), "--workspace", ws.toString(),
                "--credentials", dir.resolve("bad.yaml").toString()));
    }

    @Test
    void anUnknownIdInTheEnvironmentFailsNamingItAndTheFile() throws Exception {
        CredentialLookup lookup = credentials();
        PipelineHarness.run(dir, """
                pipeline {
                    agent any
                    stages {
                        stage('S') {
                            environment { TOKEN = credentials('deploy-token') }
                            steps { echo 'never' }
                        }
                    }
                }
                """, r -> r.service(CredentialLookup.class, lookup))
                .assertResult(Result.FAILURE).assertStage("S", "FAILURE")
                .assertLog("no credential with id 'deploy-token' in ", "it has token, deploy-key, settings").assertNoLog("never");
    }

    @Test
    void withoutCredentialsTheStepSaysHowToGiveThem() throws Exception {
        PipelineHarness.run(dir, "node { withCredentials([string(credentialsId: 'x', variable: 'X')]) { echo 'no' } }")
                .assertResult(Result.FAILURE).assertLog("this run has no credentials", "--credentials FILE").assertNoLog("no\n");
    }
}
