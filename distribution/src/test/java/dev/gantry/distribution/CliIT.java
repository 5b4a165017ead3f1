package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI of the built distribution: help, usage errors, lint, run, exit codes and the report. */
class CliIT {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void helpListsTheCommandsAndExitCodes() throws Exception {
        Gantry.run(dir, 30, "--help").assertExit(0).assertOutput("run", "lint", "Exit codes", "build unstable");
        Gantry.run(dir, 30, "run", "--help").assertExit(0).assertOutput("--workspace", "--param", "--input", "--report");
        Gantry.run(dir, 30, "lint", "--help").assertExit(0).assertOutput("FILE:LINE:COLUMN");
    }

    @Test
    void theLauncherKeepsAClassArchiveInTheCacheWithoutNoise() throws Exception {
        Path cache = dir.resolve("cache");
        Path f = write("one.groovy", "node { echo 'once' }\n");
        for (int i = 0; i < 2; i++) {
            Gantry.Done d = Gantry.run(dir, 60, Map.of("GANTRY_CACHE", cache.toString()), "run", f.toString(),
                    "--workspace", dir.resolve("ws").toString()).assertExit(0).assertOutput("once");
            assertFalse(d.output().contains("[warning]") || d.output().contains("[info]"), d.output());
        }
        // An AOT cache on Java 25+, a dynamic CDS archive before.
        String ext;
        try (var files = Files.list(cache)) {
            ext = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("classes-cli-\\d+\\.(jsa|aot)")).findFirst()
                    .map(n -> n.substring(n.lastIndexOf('.')))
                    .orElseThrow(() -> new AssertionError("no archive in " + cache));
        }
        // Archives left by earlier installs are pruned to the three newest of the kind.
        for (int i = 1; i <= 5; i++) {
            Path stale = Files.write(cache.resolve("classes-cli-" + i + ext), new byte[] {1});
            Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(1_000_000L * i));
        }
        Path server = Files.write(cache.resolve("classes-server-1" + ext), new byte[] {1});
        Files.setLastModifiedTime(server, java.nio.file.attribute.FileTime.fromMillis(1_000_000L));
        Gantry.run(dir, 60, Map.of("GANTRY_CACHE", cache.toString()), "run", f.toString(),
                "--workspace", dir.resolve("ws").toString()).assertExit(0);
        try (var files = Files.list(cache)) {
            java.util.List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(!names.contains("classes-cli-1" + ext) && !names.contains("classes-cli-2" + ext)
                    && !names.contains("classes-cli-3" + ext) && names.contains("classes-server-1" + ext)
                    && names.stream().filter(n -> n.startsWith("classes-cli-")).count() <= 4, names.toString());
        }
        Path off = dir.resolve("off");
        Gantry.run(dir, 60, Map.of("GANTRY_CACHE", off.toString(), "GANTRY_CDS", "off"), "run", f.toString(),
                "--workspace", dir.resolve("ws").toString()).assertExit(0);
        assertFalse(Files.exists(off), "GANTRY_CDS=off must not create a cache");
    }

    @Test
    void shStepsLaunchThroughTheJava22ClassesWithoutWarnings() throws Exception {
        Path engine;
        try (var jars = Files.list(Gantry.DIST.resolve("lib"))) {
            engine = jars.filter(p -> p.getFileName().toString().startsWith("gantry-engine-")).findFirst().orElseThrow();
        }
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(engine.toFile())) {
            assertTrue(jar.isMultiRelease(), engine + " must be a multi-release jar");
            assertTrue(jar.getEntry("META-INF/versions/22/dev/gantry/engine/workspace/PosixSpawn.class") != null,
                    engine + " lacks the Java 22 launcher");
        }
        Path f = write("sh.groovy", "node { sh 'echo from sh' }\n");
        Gantry.Done d = Gantry.run(dir, 60, "run", f.toString(), "--workspace", dir.resolve("ws").toString())
                .assertExit(0).assertOutput("from sh");
        // The JVM warns about restricted (native) calls unless bin/gantry allows them.
        assertFalse(d.output().contains("WARNING"), d.output());
    }

    @Test
    void usageErrorsExitWithTwoAndSaySo() throws Exception {
        Gantry.run(dir, 30, "frobnicate").assertExit(2).assertOutput("frobnicate");
        Gantry.run(dir, 30, "run").assertExit(2).assertOutput("FILE");
        Gantry.run(dir, 30, "run", dir.resolve("missing.groovy").toString()).assertExit(2).assertOutput("no such file");
        Gantry.run(dir, 30, "run", "x.groovy", "--number", "many").assertExit(2).assertOutput("many");
    }

    @Test
    void lintReportsEveryProblemAsFileLineColumn() throws Exception {
        Path bad = write("bad.groovy", """
                pipeline {
                    agent any
                    stages {
                        stage('A') {
                            stepz { echo 'x' }
                        }
                        stage('B') {
                            steps { ech 'y' }
                        }
                    }
                }
                """);
        Path good = write("good.groovy", "pipeline { agent any\n stages { stage('A') { steps { echo 'ok' } } } }\n");
        Gantry.Done d = Gantry.run(dir, 60, "lint", bad.toString(), good.toString()).assertExit(2);
        String out = d.output();
        assertTrue(out.matches("(?s).*bad\\.groovy:5:\\d+: .*steps.*"), out);
        assertTrue(out.matches("(?s).*bad\\.groovy:8:\\d+: .*echo.*"), out);
        assertFalse(out.contains("good.groovy:"), out);
        Gantry.run(dir, 60, "lint", good.toString()).assertExit(0);
    }

    @Test
    void emptyBinaryAndNonGroovyFilesAreInvalidWithAClearMessage() throws Exception {
        Path empty = write("empty.groovy", "");
        Path binary = dir.resolve("binary.groovy");
        Files.write(binary, new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2, (byte) 0xff, (byte) 0xfe});
        Path prose = write("prose.groovy", "This is not { a pipeline at all ]]\n");
        Gantry.run(dir, 60, "lint", empty.toString()).assertExit(2).assertOutput("empty.groovy:1:1:", "empty");
        Gantry.run(dir, 60, "lint", binary.toString()).assertExit(2).assertOutput("binary.groovy:1:1:", "not a text file");
        Gantry.run(dir, 60, "lint", prose.toString()).assertExit(2).assertOutput("prose.groovy:1:");
        Path report = dir.resolve("r.json");
        Gantry.run(dir, 60, "run", binary.toString(), "--workspace", dir.resolve("ws").toString(), "--report", report.toString())
                .assertExit(2).assertOutput("not a valid pipeline", "nothing was run");
        assertFalse(Files.exists(report), "no report for a pipeline that did not run");
    }

    @Test
    void runExitsWithTheBuildResultAndWritesTheReport() throws Exception {
        String template = "pipeline { agent any\n stages { stage('S') { steps { %s } } } }\n";
        Map<String, Integer> expected = Map.of(
                "echo 'fine'", 0,
                "sh 'exit 7'", 1,
                "unstable 'flaky'", 3,
                "timeout(time: 1, unit: 'SECONDS') { sh 'sleep 30' }", 4);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            Path f = write("p" + e.getValue() + ".groovy", template.formatted(e.getKey()));
            Path report = dir.resolve("report-" + e.getValue() + ".json");
            Gantry.run(dir, 60, "run", f.toString(), "--workspace", dir.resolve("ws").toString(), "--report", report.toString())
                    .assertExit(e.getValue());
            JsonNode r = new ObjectMapper().readTree(report.toFile());
            String result = switch (e.getValue()) {
                case 0 -> "SUCCESS";
                case 1 -> "FAILURE";
                case 3 -> "UNSTABLE";
                default -> "ABORTED";
            };
            assertEquals(result, r.get("result").asText(), e.getKey());
            assertEquals("S", r.get("stages").get(0).get("name").asText());
            assertEquals(result, r.get("stages").get(0).get("result").asText());
            assertTrue(r.get("durationMillis").asLong() >= 0);
        }
    }

    @Test
    void parametersAndInputsComeFromTheCommandLine() throws Exception {
        Path f = write("p.groovy", """
                pipeline {
                    agent any
                    parameters { booleanParam(name: 'LOUD', defaultValue: false, description: '') }
                    stages {
                        stage('Ask') {
                            steps {
                                script {
                                    def who = input message: 'Who?', id: 'Who', parameters: [string(name: 'NAME', defaultValue: 'nobody')]
                                    echo "loud=${params.LOUD} who=${who}"
                                }
                            }
                        }
                    }
                }
                """);
        Gantry.run(dir, 60, "run", f.toString(), "--workspace", dir.resolve("ws").toString(), "--param", "LOUD=true", "--input", "Who=Ada")
                .assertExit(0).assertOutput("loud=true who=Ada");
        Gantry.run(dir, 60, "run", f.toString(), "--workspace", dir.resolve("ws").toString())
                .assertExit(4).assertOutput("was not answered", "--input Who=");
    }

    @Test
    void theJsonLogAttributesEveryLineToItsStageStepAndBranch() throws Exception {
        Path f = write("par.groovy", """
                pipeline {
                    agent any
                    stages {
                        stage('Tests') {
                            parallel {
                                stage('Unit') { steps { echo 'from unit' } }
                                stage('Lint') { steps { sh 'echo from lint; printf "\\\\377\\\\n"' } }
                            }
                        }
                    }
                }
                """);
        Path json = dir.resolve("log.jsonl");
        Gantry.run(dir, 60, "run", f.toString(), "--workspace", dir.resolve("ws").toString(), "--log-json", json.toString())
                .assertExit(0).assertOutput("[Unit] from unit", "[Lint] from lint");
        ObjectMapper m = new ObjectMapper();
        boolean unit = false;
        boolean lint = false;
        boolean raw = false;
        for (String line : Files.readAllLines(json)) {
            JsonNode r = m.readTree(line);
            unit |= "from unit".equals(r.path("text").asText()) && "Unit".equals(r.path("stage").asText())
                    && "Unit".equals(r.path("branch").asText()) && r.path("step").asText().startsWith("stage[Unit]/");
            lint |= "from lint".equals(r.path("text").asText()) && "Lint".equals(r.path("stage").asText());
            raw |= "/w==".equals(r.path("base64").asText());
        }
        assertTrue(unit && lint && raw, Files.readString(json));
    }

    @Test
    void outputThatIsNotUtf8PassesThroughByteForByte() throws Exception {
        Path f = write("bytes.groovy", "node { sh \"printf 'raw:\\\\377\\\\376\\\\351:end\\\\n'\" }\n");
        Gantry.Done d = Gantry.run(dir, 60, "run", f.toString(), "--workspace", dir.resolve("ws").toString()).assertExit(0);
        byte[] out = Files.readAllBytes(d.outputFile());
        byte[] needle = {'r', 'a', 'w', ':', (byte) 0xff, (byte) 0xfe, (byte) 0xe9, ':', 'e', 'n', 'd', '\n'};
        assertTrue(indexOf(out, needle) >= 0, () -> new String(out, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aStepPrintingAGigabyteStreamsThroughASmallHeap() throws Exception {
        Path f = write("big.groovy", "node { sh 'yes 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrs | head -c 1000000000' }\n");
        Gantry.Done d = Gantry.run(dir, 300, Map.of("GANTRY_JAVA_OPTS", "-Xmx96m"), "run", f.toString(), "--workspace", dir.resolve("ws").toString())
                .assertExit(0);
        assertTrue(Files.size(d.outputFile()) >= 1_000_000_000L, "the whole gigabyte reached the console: " + Files.size(d.outputFile()));
        assertTrue(Gantry.tail(d.outputFile()).contains("Finished: SUCCESS"));
    }

    @Test
    void aThousandStagesRunAndAreReported() throws Exception {
        StringBuilder sb = new StringBuilder("pipeline {\n agent any\n stages {\n");
        for (int i = 0; i < 1000; i++) {
            sb.append("  stage('S").append(i).append("') { steps { echo 'stage ").append(i).append("' } }\n");
        }
        sb.append(" }\n}\n");
        Path f = write("many.groovy", sb.toString());
        Path report = dir.resolve("r.json");
        Gantry.run(dir, 120, "run", f.toString(), "--workspace", dir.resolve("ws").toString(), "--report", report.toString())
                .assertExit(0).assertOutput("stage 999");
        assertEquals(1000, new ObjectMapper().readTree(report.toFile()).get("stages").size());
    }

    @Test
    void aFiveMegabyteScriptIsParsedAndEitherRunsOrGetsAClearLimitError() throws Exception {
        // Mostly documentation: parses, lints and runs.
        StringBuilder commented = new StringBuilder();
        while (commented.length() < 5 * 1024 * 1024) {
            commented.append("// ").append("release notes and explanations ".repeat(3)).append('\n');
        }
        commented.append("node { echo 'big but fine' }\n");
        Path fine = write("commented.groovy", commented.toString());
        Gantry.run(dir, 240, "run", fine.toString(), "--workspace", dir.resolve("ws").toString())
                .assertExit(0).assertOutput("big but fine");
        // Mostly code: more than the JVM lets one class hold; invalid, with the limit explained.
        StringBuilder code = new StringBuilder();
        int i = 0;
        while (code.length() < 5 * 1024 * 1024) {
            code.append("def helper").append(i).append("() { return 'value ").append(i).append(" ").append("x".repeat(60)).append("' }\n");
            i++;
        }
        code.append("node { echo helper1() }\n");
        Path huge = write("huge.groovy", code.toString());
        Gantry.run(dir, 240, "run", huge.toString(), "--workspace", dir.resolve("ws").toString())
                .assertExit(2).assertOutput("huge.groovy:1:1:", "too large to compile", "nothing was run");
    }

    @Test
    void ctrlCAbortsTheBuildKillsItsProcessesAndRunsPost() throws Exception {
        Path f = write("slow.groovy", """
                pipeline {
                    agent any
                    stages { stage('Wait') { steps { sh 'echo started; sleep 120' } } }
                    post { aborted { echo 'post-aborted ran' } }
                }
                """);
        Path out = dir.resolve("out.txt");
        Process p = Gantry.command(out, java.util.List.of("run", f.toString(), "--workspace", dir.resolve("ws").toString()), Map.of()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.readString(out).contains("started")) {
            assertTrue(System.nanoTime() < deadline, "the step did not start: " + Files.readString(out));
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        java.util.List<ProcessHandle> tree = p.descendants().toList();
        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "gantry did not stop after Ctrl-C");
        assertEquals(4, p.exitValue(), Files.readString(out));
        String log = Files.readString(out);
        assertTrue(log.contains("post-aborted ran") && log.contains("Finished: ABORTED"), log);
        for (ProcessHandle h : tree) {
            assertFalse(h.isAlive(), "a process of the step is still alive: " + h.info());
        }
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
}
