package dev.gantry.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.pipeline.PipelineLinter;
import dev.gantry.engine.steps.StepLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The definition file shown in docs/server.md reads and compiles as the text around it says. */
class DocumentedDefinitionTest {

    @Test
    void theExampleInTheServerDocsIsAValidDefinitionFile() throws Exception {
        String doc = Files.readString(Path.of("../docs/server.md"));
        int start = doc.indexOf("```yaml\n");
        assertTrue(start >= 0, "docs/server.md has no ```yaml example");
        String yaml = doc.substring(start + 8, doc.indexOf("```", start + 8));
        List<DefinitionReader.Entry> entries = DefinitionReader.readFile("server.md.yaml", yaml);
        assertEquals(List.of("team-a/api", "team-a/web"), entries.stream().map(e -> e.definition().name()).toList());
        JobCompiler.Compiled api = new JobCompiler(new PipelineLinter(StepLibrary.builtins())).compile(entries.get(0).definition());
        assertEquals(List.of(), api.problems());
        assertEquals(new JobOptions(5, true, true, new LogRotator(30, 10, -1, 2)), api.settings().options());
        assertEquals(List.of("TARGET", "REGION", "DRY_RUN"), api.settings().parameters().stream().map(ParameterDefinition::name).toList());
        assertEquals(new ScmSource("https://git.example.com/team-a/web.git", "main", "ci/Jenkinsfile"), entries.get(1).definition().spec().scm());
    }
}
