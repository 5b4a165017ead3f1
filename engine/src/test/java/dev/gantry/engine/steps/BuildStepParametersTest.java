package dev.gantry.engine.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.step.StepFailedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildStepParametersTest {

    private static Map<String, Object> p(String type, String name, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(type.startsWith("$") ? "$class" : "type", type.startsWith("$") ? type.substring(1) : type);
        m.put("name", name);
        m.put("value", value);
        return m;
    }

    @Test
    void symbolsAndLegacyClassesBecomeValuesByName() {
        Map<String, Object> out = BuildStep.parameters(List.of(p("string", "X", "y"), p("booleanParam", "B", true),
                p("text", "T", "multi\nline"), p("choice", "C", "b"), p("booleanParam", "S", "false"),
                p("$StringParameterValue", "L", 5), p("$BooleanParameterValue", "LB", true)));
        assertEquals(Map.of("X", "y", "B", true, "T", "multi\nline", "C", "b", "S", false, "L", "5", "LB", true), out);
        assertEquals(Map.of(), BuildStep.parameters(null));
    }

    @Test
    void whatCannotBePassedIsNamed() {
        String m = assertThrows(StepFailedException.class, () -> BuildStep.parameters(List.of(p("file", "F", "x")))).getMessage();
        assertTrue(m.contains("parameter 'F' is of type file"), m);
        m = assertThrows(StepFailedException.class, () -> BuildStep.parameters(List.of(p("booleanParam", "B", "yes")))).getMessage();
        assertTrue(m.contains("booleanParam 'B' needs value: true or false"), m);
        m = assertThrows(StepFailedException.class, () -> BuildStep.parameters(List.of("X=y"))).getMessage();
        assertTrue(m.contains("each parameter must be string("), m);
        m = assertThrows(StepFailedException.class, () -> BuildStep.parameters(Map.of("X", "y"))).getMessage();
        assertTrue(m.contains("parameters must be a list"), m);
    }
}
