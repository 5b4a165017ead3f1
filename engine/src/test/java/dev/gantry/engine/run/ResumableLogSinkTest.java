package dev.gantry.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which lines a resumed build's log takes: those beyond what each writer already wrote. */
class ResumableLogSinkTest {
    private final List<String> out = new ArrayList<>();
    private final LogSink collecting = new LogSink() {
        @Override
        public void chunk(LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine) {
            out.add((source.branch() == null ? "" : "[" + source.branch() + "] ") + new String(bytes, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
        }
    };

    private static void line(LogSink s, String branch, String stepId, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.chunk(new LogSink.LogSource(null, stepId, branch, false), b, 0, b.length, true, true);
    }

    @Test
    void linesAlreadyInTheLogAreDroppedPerWriterWhateverTheInterleaving() {
        ResumableLogSink s = new ResumableLogSink(collecting, () -> new long[] {10, 2},
                Map.of("b:", 1L, "b:a", 2L, "s:3", 1L), id -> false);
        line(s, "b", null, "b engine 1");
        line(s, null, null, "root 1");
        line(s, "a", null, "a engine 1");
        line(s, null, null, "root 2");
        line(s, "a", null, "a engine 2");
        line(s, null, "3", "step 3 line 1");
        line(s, "a", null, "a engine 3");
        line(s, null, "3", "step 3 line 2");
        assertEquals(List.of("[b] b engine 1", "root 2", "[a] a engine 3", "step 3 line 2"), out);
    }

    @Test
    void aMarkCountsLinesAlreadyThereAndForgetsJournaledSteps() {
        ResumableLogSink s = new ResumableLogSink(collecting, () -> new long[] {10, 2}, Map.of("b:", 3L, "s:7", 2L), id -> false);
        line(s, null, null, "root 1");
        line(s, null, "8", "step 8");
        s.forget("8");
        FileStepJournal.LogMark m = s.mark();
        assertEquals(Map.of("b:", 3L, "s:7", 2L), m.lines(), "the root's three lines are in the log although only one came again");
        assertEquals(10, m.logBytes());
        assertEquals(2, m.indexBytes());
    }

    /** A process's lines come from one source instance: the sink keeps its count at hand, and must not mix writers up. */
    @Test
    void reusedSourcesAreCountedApartWhenTheyInterleave() {
        ResumableLogSink s = new ResumableLogSink(collecting, () -> new long[] {0, 0}, Map.of(), id -> false);
        LogSink.LogSource step4 = new LogSink.LogSource(null, "4", null, false);
        LogSink.LogSource step5 = new LogSink.LogSource(null, "5", "b", false);
        LogSink.LogSource sameAs4 = new LogSink.LogSource(null, "4", null, false);
        byte[] b = "x".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) {
            s.chunk(step4, b, 0, 1, true, true);
        }
        s.chunk(step5, b, 0, 1, true, false); // a line in two pieces counts once
        s.chunk(step5, b, 0, 1, false, true);
        s.chunk(sameAs4, b, 0, 1, true, true);
        s.chunk(step4, b, 0, 1, true, true);
        assertEquals(Map.of("s:4", 5L, "s:5", 1L), s.mark().lines());
        s.forget("4"); // the writer of the last line: its count goes, kept at hand or not
        assertEquals(Map.of("s:5", 1L), s.mark().lines());
        s.chunk(step4, b, 0, 1, true, true); // (a journaled step writes no more; if it did, it counts anew)
        s.chunk(step5, b, 0, 1, true, true);
        assertEquals(Map.of("s:4", 1L, "s:5", 2L), s.mark().lines());
        assertEquals(9, out.size(), "every chunk passes on: a new build drops nothing");
    }
}
