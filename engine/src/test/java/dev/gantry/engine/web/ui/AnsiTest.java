package dev.gantry.engine.web.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnsiTest {

    @Test
    void plainTextIsOneRunWithoutClasses() {
        assertEquals(List.of(new Ansi.Span("", "<b>plain</b>")), Ansi.spans("<b>plain</b>"));
    }

    @Test
    void colourAndStyleCodesBecomeClassesUntilReset() {
        assertEquals(List.of(new Ansi.Span("a-f1 a-b", "bold red"), new Ansi.Span("", " plain"), new Ansi.Span("a-f10 a-g4", "x")),
                Ansi.spans("\u001b[1;31mbold red\u001b[0m plain\u001b[92;44mx"));
    }

    @Test
    void otherSequencesAndExtendedColoursAreDropped() {
        assertEquals(List.of(new Ansi.Span("", "ab"), new Ansi.Span("a-u", "c")),
                Ansi.spans("a\u001b[2Kb\u001b]0;title\u0007\u001b[38;5;200;4mc"));
    }

    @Test
    void anUnfinishedSequenceAtTheEndIsDropped() {
        assertEquals(List.of(new Ansi.Span("", "text")), Ansi.spans("text\u001b[31"));
    }
}
