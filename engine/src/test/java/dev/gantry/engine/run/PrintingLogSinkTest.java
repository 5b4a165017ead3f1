package dev.gantry.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrintingLogSinkTest {
    private static final LogSink.LogSource SOURCE = new LogSink.LogSource("S", "1", null, false);

    /** A stream whose content other threads may read while the sink writes. */
    private static final class Shared extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static void line(PrintingLogSink sink, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        sink.chunk(SOURCE, b, 0, b.length, true, true);
    }

    @Test
    void outputNobodyFlushesReachesTheStreamWithinAFewHundredMilliseconds() throws Exception {
        Shared out = new Shared();
        try (PrintingLogSink sink = new PrintingLogSink(out)) {
            line(sink, "waiting for input");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (out.text().isEmpty() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            assertEquals("waiting for input\n", out.text());
        }
    }

    @Test
    void smallAndLargeChunksArriveInOrderAndThePositionCountsThemAll() {
        Shared out = new Shared();
        StringBuilder expected = new StringBuilder();
        try (PrintingLogSink sink = new PrintingLogSink(out)) {
            for (int i = 0; i < 3000; i++) {
                String text = i % 500 == 0 ? "big " + "z".repeat(70_000) : "line " + i;
                line(sink, text);
                expected.append(text).append('\n');
            }
            assertEquals(expected.length(), sink.position());
            sink.flush();
            assertEquals(expected.toString(), out.text());
        }
    }
}
