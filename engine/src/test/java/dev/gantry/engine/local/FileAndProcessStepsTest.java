package dev.gantry.engine.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** readFile, writeFile, fileExists, deleteDir, pwd, isUnix, dir, sh and load, run in a pipeline. */
class FileAndProcessStepsTest {
    @TempDir
    Path dir;

    private PipelineHarness.Ran scripted(String body) throws Exception {
        return PipelineHarness.run(dir, "node {\n" + body + "\n}\n");
    }

    @Test
    void writeReadExistsAndDir() throws Exception {
        PipelineHarness.Ran r = scripted("""
                writeFile file: 'sub/a.txt', text: 'alpha\\n'
                echo "read=${readFile('sub/a.txt').trim()} exists=${fileExists 'sub/a.txt'} missing=${fileExists 'nope.txt'}"
                dir('sub') {
                    echo "in-dir read=${readFile(file: 'a.txt').trim()} pwd-ends=${pwd().endsWith('sub')}"
                    writeFile file: 'b.txt', text: 'beta'
                    sh 'echo "sh cwd=$(basename $(pwd))"'
                }
                echo "b from root=${readFile 'sub/b.txt'}"
                echo "unix=${isUnix()}"
                """).assertResult(Result.SUCCESS)
                .assertLog("read=alpha exists=true missing=false", "in-dir read=alpha pwd-ends=true", "sh cwd=sub", "b from root=beta", "unix=true");
        assertEquals("beta", Files.readString(r.workspace().resolve("sub/b.txt")));
    }

    @Test
    void encodingsOfWriteAndRead() throws Exception {
        PipelineHarness.Ran r = scripted("""
                writeFile file: 'latin.txt', text: 'caf\\u00e9', encoding: 'ISO-8859-1'
                echo "latin=${readFile file: 'latin.txt', encoding: 'ISO-8859-1'}"
                writeFile file: 'bin.dat', text: 'AAEC/w==', encoding: 'Base64'
                echo "b64=${readFile file: 'bin.dat', encoding: 'Base64'}"
                """).assertResult(Result.SUCCESS).assertLog("latin=café", "b64=AAEC/w==");
        assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xe9}, Files.readAllBytes(r.workspace().resolve("latin.txt")));
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, Files.readAllBytes(r.workspace().resolve("bin.dat")));
    }

    @Test
    void readingAMissingFileFailsNamingIt() throws Exception {
        scripted("readFile 'no/such.txt'").assertResult(Result.FAILURE).assertLog("no/such.txt");
    }

    @Test
    void deleteDirAndPwdTmp() throws Exception {
        PipelineHarness.Ran r = scripted("""
                writeFile file: 'gone/x.txt', text: 'x'
                dir('gone') { deleteDir() }
                echo "gone=${fileExists 'gone'}"
                def tmp = pwd(tmp: true)
                echo "tmp=${tmp}"
                echo "tmp-differs=${tmp != pwd()}"
                """).assertResult(Result.SUCCESS).assertLog("gone=false", "tmp-differs=true");
        assertFalse(Files.exists(r.workspace().resolve("gone")));
        assertTrue(r.log().contains("tmp=" + r.workspace() + "@tmp"), r.log());
    }

    @Test
    void shReturnStdoutStatusLabelEncoding() throws Exception {
        scripted("""
                def out = sh(script: 'printf "hello\\\\nworld\\\\n"', returnStdout: true)
                echo "lines=${out.readLines()}"
                def status = sh(script: 'exit 4', returnStatus: true)
                echo "status=${status}"
                sh script: 'echo labelled-output', label: 'My label'
                def latin = sh(script: 'printf "caf\\\\351"', returnStdout: true, encoding: 'ISO-8859-1')
                echo "latin=${latin}"
                """).assertResult(Result.SUCCESS).assertLog("lines=[hello, world]", "status=4", "My label", "labelled-output", "latin=café");
    }

    @Test
    void nonZeroExitFailsWithTheCode() throws Exception {
        scripted("sh 'echo before-fail; exit 7'\necho 'never'").assertResult(Result.FAILURE)
                .assertLog("before-fail", "script returned exit code 7").assertNoLog("never");
    }

    @Test
    void shSeesTheEnvironmentAndRunsWithXtrace() throws Exception {
        scripted("withEnv(['X=1']) { sh 'echo \"x=$X\"' }").assertResult(Result.SUCCESS).assertLog("+ echo x=1", "x=1");
    }

    @Test
    void nonUtf8OutputPassesThroughByteExact() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        byte[] raw = {'r', 'a', 'w', ':', (byte) 0xe9, (byte) 0xff, (byte) 0xfe, (byte) 0x80, '\n'};
        Files.write(ws.resolve("raw.bin"), raw);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LocalRun.Outcome o = new LocalRun(PipelineHarness.STEPS, ws).job("bytes")
                .run("Jenkinsfile", "node { sh 'cat raw.bin' }\n", log);
        assertEquals(Result.SUCCESS, o.result());
        byte[] bytes = log.toByteArray();
        assertTrue(indexOf(bytes, raw) >= 0, () -> "raw bytes not in the log: " + log.toString(StandardCharsets.ISO_8859_1));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void loadRunsAWorkspaceFileAndReturnsItsFunctions() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Files.createDirectories(ws.resolve("ci"));
        Files.writeString(ws.resolve("ci/lib.groovy"), """
                def greet(String who) {
                    echo "lib greets ${who}"
                    return who.toUpperCase()
                }
                def build() { sh 'echo lib-sh-ran' }
                return this
                """);
        scripted("""
                def lib = load 'ci/lib.groovy'
                echo "returned=${lib.greet('you')}"
                lib.build()
                """).assertResult(Result.SUCCESS).assertLog("lib greets you", "returned=YOU", "lib-sh-ran");
    }

    @Test
    void loadingAMissingFileFailsNamingIt() throws Exception {
        scripted("load 'ci/missing.groovy'").assertResult(Result.FAILURE).assertLog("ci/missing.groovy", "does not exist");
    }

    @Test
    void loadInDeclarativeScript() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(ws.resolve("vars.groovy"), "def version() { return '9.9' }\nreturn this\n");
        PipelineHarness.run(dir, """
                def lib
                pipeline {
                    agent any
                    stages {
                        stage('Load') { steps { script { lib = load 'vars.groovy' } } }
                        stage('Use') { steps { echo "version=${lib.version()}" } }
                    }
                }
                """).assertResult(Result.SUCCESS).assertLog("version=9.9");
    }
}
