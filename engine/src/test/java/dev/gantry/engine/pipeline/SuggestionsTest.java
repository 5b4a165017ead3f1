package dev.gantry.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> SECTIONS = List.copyOf(DeclarativeGrammar.PIPELINE_SECTIONS);

    @Test
    void typosTranspositionsAndCaseFindTheName() {
        assertEquals(Optional.of("stages"), Suggestions.closest("stagez", SECTIONS));
        assertEquals(Optional.of("stages"), Suggestions.closest("satges", SECTIONS));
        assertEquals(Optional.of("stages"), Suggestions.closest("Stages", SECTIONS));
        assertEquals(Optional.of("environment"), Suggestions.closest("enviroment", SECTIONS));
        assertEquals(Optional.of("echo"), Suggestions.closest("ech", List.of("echo", "sh", "dir")));
        assertEquals(Optional.of("sh"), Suggestions.closest("shh", List.of("echo", "sh", "dir")));
    }

    @Test
    void farAwayNamesGiveNothing() {
        assertEquals(Optional.empty(), Suggestions.closest("deployEverything", SECTIONS));
        assertEquals(Optional.empty(), Suggestions.closest("xy", List.of("echo")));
        assertEquals(Optional.empty(), Suggestions.closest("", SECTIONS));
        assertEquals(Optional.empty(), Suggestions.closest(null, SECTIONS));
    }

    @Test
    void distanceCountsATranspositionAsOneEdit() {
        assertEquals(1, Suggestions.distance("ab", "ba", 5));
        assertEquals(3, Suggestions.distance("kitten", "sitting", 5));
    }
}
