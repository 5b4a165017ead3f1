package dev.gantry.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.gantry.api.step.Step;
import dev.gantry.engine.steps.StepLibrary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** docs/steps.md is what `gantry steps --markdown` prints, and every step carries help. */
class StepsReferenceTest {
    @Test
    void everyStepAndParameterHasHelp() {
        for (Step s : StepLibrary.builtins().all()) {
            assertFalse(s.descriptor().help().isBlank(), s.descriptor().name() + " has no help");
            s.descriptor().parameters().values().forEach(p ->
                    assertFalse(p.help().isBlank(), s.descriptor().name() + "." + p.name() + " has no help"));
        }
    }

    @Test
    void docsStepsMarkdownIsCurrent() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("steps", "--markdown"));
        Path doc = Path.of("..", "docs", "steps.md");
        assertEquals(out.toString(), Files.readString(doc),
                "docs/steps.md is stale: regenerate it with distribution/target/gantry/bin/gantry steps --markdown > docs/steps.md");
    }
}
