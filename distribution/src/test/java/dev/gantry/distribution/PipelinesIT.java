package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every reference pipeline in {@code pipelines/} through the built distribution. A pipeline
 * in a folder (a {@code Jenkinsfile} with its project) runs in a copy of that folder. Header lines
 * say what to pass and expect: {@code // demo-arg: ARG}, {@code // expect log: TEXT},
 * {@code // expect tests: N}, {@code // expect artifact: PATH}; the result must be SUCCESS.
 */
class PipelinesIT {
    @TempDir
    Path dir;

    static Stream<Path> pipelines() throws IOException {
        Path root = Gantry.REPO.resolve("pipelines");
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root, 2)) {
            s.filter(p -> p.toString().endsWith(".groovy") || p.getFileName().toString().equals("Jenkinsfile")).sorted().forEach(all::add);
        }
        assertFalse(all.isEmpty(), "no pipelines under " + root);
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void referencePipelineSucceeds(Path pipeline) throws Exception {
        Path ws = dir.resolve("ws");
        if (pipeline.getFileName().toString().equals("Jenkinsfile")) {
            copyTree(pipeline.getParent(), ws);
        }
        List<String> header = Files.readAllLines(pipeline).stream().takeWhile(l -> l.startsWith("//")).toList();
        List<String> args = new ArrayList<>(List.of("run", pipeline.toString(), "--workspace", ws.toString(), "--report", dir.resolve("r.json").toString()));
        header.stream().filter(l -> l.startsWith("// demo-arg: ")).map(l -> l.substring("// demo-arg: ".length())).forEach(args::add);
        Gantry.Done done = Gantry.run(dir, 300, args.toArray(String[]::new)).assertExit(0);
        JsonNode report = new ObjectMapper().readTree(dir.resolve("r.json").toFile());
        assertEquals("SUCCESS", report.get("result").asText());
        for (String line : header) {
            if (line.startsWith("// expect log: ")) {
                done.assertOutput(line.substring("// expect log: ".length()));
            } else if (line.startsWith("// expect tests: ")) {
                assertEquals(Integer.parseInt(line.substring("// expect tests: ".length()).trim()), report.get("tests").get("total").asInt());
            } else if (line.startsWith("// expect artifact: ")) {
                String a = line.substring("// expect artifact: ".length()).trim();
                assertTrue(report.get("artifacts").toString().contains(a), report.toString());
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
