package dev.gantry.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplittingStreamTest {
    private static final LogSink.LogSource SOURCE = new LogSink.LogSource("S", "1", null, false);

    /** Each chunk as the sink saw it: the text and whether it started and ended a line. */
    private static final class Recording implements LogSink {
        final List<String> chunks = new ArrayList<>();

        @Override
        public void chunk(LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine) {
            chunks.add((startsLine ? "^" : "") + new String(bytes, offset, length, StandardCharsets.UTF_8) + (endsLine ? "$" : ""));
        }

        @Override
        public void flush() {
        }
    }

    @Test
    void aLineWrittenInManySmallPiecesReachesTheSinkAsOneChunk() {
        Recording sink = new Recording();
        LineSplittingStream stream = new LineSplittingStream(sink, SOURCE, () -> { });
        String line = "x".repeat(5000);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 7) {
            stream.write(bytes, i, Math.min(7, bytes.length - i));
        }
        stream.write("\nnext".getBytes(StandardCharsets.UTF_8), 0, 5);
        stream.close();
        assertEquals(List.of("^" + line + "$", "^next$"), sink.chunks);
    }

    @Test
    void aLineLongerThanTheBoundPassesInPiecesWithNothingLost() {
        Recording sink = new Recording();
        LineSplittingStream stream = new LineSplittingStream(sink, SOURCE, () -> { });
        String line = "y".repeat(LineSplittingStream.MAX_LINE + 1000);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 1000) {
            stream.write(bytes, i, Math.min(1000, bytes.length - i));
        }
        stream.write(new byte[] {'\n'}, 0, 1);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (String c : sink.chunks) {
            joined.writeBytes(c.replace("^", "").replace("$", "").getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(line, joined.toString(StandardCharsets.UTF_8));
        assertEquals('^', sink.chunks.getFirst().charAt(0));
        String last = sink.chunks.getLast();
        assertEquals('$', last.charAt(last.length() - 1));
    }
}
