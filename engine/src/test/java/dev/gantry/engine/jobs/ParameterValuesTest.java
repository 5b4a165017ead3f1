package dev.gantry.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterValuesTest {
    private static final List<ParameterDefinition> DECLARED = List.of(
            new ParameterDefinition("string", "WHO", "world", null, List.of(), true),
            new ParameterDefinition("booleanParam", "FAST", false, null, List.of(), false),
            new ParameterDefinition("choice", "ENV", null, null, List.of("dev", "prod"), false),
            new ParameterDefinition("text", "NOTES", null, null, List.of(), false));

    @Test
    void defaultsFillWhatIsMissingAndValuesGetTheirTypes() {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("WHO", "  ops  ");
        given.put("FAST", "TRUE");
        given.put("EXTRA", 3);
        Map<String, Object> out = ParameterValues.resolve(DECLARED, given);
        assertEquals(Map.of("WHO", "ops", "FAST", true, "ENV", "dev", "EXTRA", 3), out);
        assertEquals(List.of("WHO", "FAST", "ENV", "EXTRA"), List.copyOf(out.keySet()), "declared first, then the rest; a computed default stays unset");
    }

    @Test
    void valuesThatDoNotFitTheirDeclarationNameTheParameter() {
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> ParameterValues.resolve(DECLARED, Map.of("FAST", "maybe")));
        assertEquals("parameter FAST is a booleanParam: give true or false, not 'maybe'", b.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> ParameterValues.resolve(DECLARED, Map.of("ENV", "qa")));
        assertEquals("parameter ENV must be one of [dev, prod], not 'qa'", c.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> ParameterValues.resolve(DECLARED, Map.of("WHO", List.of("a"))));
        assertTrue(s.getMessage().contains("give a string, not a list"), s.getMessage());
    }

    @Test
    void withNothingDeclaredEverythingPassesThrough() {
        assertEquals(Map.of("A", "1", "B", true), ParameterValues.resolve(List.of(), Map.of("A", "1", "B", true)));
        assertEquals(Map.of(), ParameterValues.resolve(List.of(), null));
    }
}
