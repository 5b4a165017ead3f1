package dev.gantry.engine.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The console log as JSON lines, one record per line (or per piece of an over-long line), with
 * what produced it: {@code {"time", "stage", "step", "branch", "text"}}. Text that is not UTF-8
 * is given as {@code "base64"} instead, so no byte is lost. For tools, and the attribution the
 * plain console does not show.
 */
public final class JsonLinesLogSink implements LogSink, AutoCloseable {
    private final OutputStream out;
    private final JsonFactory json = new JsonFactory();

    public JsonLinesLogSink(OutputStream out) {
        this.out = new BufferedOutputStream(out, 1 << 16);
    }

    @Override
    public synchronized void chunk(LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine) {
        try (JsonGenerator g = json.createGenerator(new java.io.FilterOutputStream(out) {
            @Override
            public void close() {
                // the file stays open for the next record
            }
        })) {
            g.writeStartObject();
            g.writeNumberField("time", System.currentTimeMillis());
            g.writeStringField("stage", source.stage());
            g.writeStringField("step", source.stepId());
            g.writeStringField("branch", source.branch());
            String text = utf8(bytes, offset, length);
            if (text != null) {
                g.writeStringField("text", text);
            } else {
                g.writeStringField("base64", Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(bytes, offset, offset + length)));
            }
            if (!startsLine) {
                g.writeBooleanField("continued", true);
            }
            if (!endsLine) {
                g.writeBooleanField("partial", true);
            }
            g.writeEndObject();
            g.flush();
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the JSON log: " + e.getMessage(), e);
        }
    }

    private static String utf8(byte[] b, int off, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the JSON log: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the JSON log: " + e.getMessage(), e);
        }
    }

    /** Sends every chunk to two sinks. */
    public static LogSink tee(LogSink a, LogSink b) {
        return new LogSink() {
            @Override
            public void chunk(LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine) {
                a.chunk(source, bytes, offset, length, startsLine, endsLine);
                b.chunk(source, bytes, offset, length, startsLine, endsLine);
            }

            @Override
            public void flush() {
                a.flush();
                b.flush();
            }

            @Override
            public void stepStarted(LogSource source, String stepName) {
                a.stepStarted(source, stepName);
                b.stepStarted(source, stepName);
            }

            @Override
            public void stepFinished(LogSource source, String status) {
                a.stepFinished(source, status);
                b.stepFinished(source, status);
            }

            @Override
            public void stageStarted(String stageId, String name, String parentId) {
                a.stageStarted(stageId, name, parentId);
                b.stageStarted(stageId, name, parentId);
            }

            @Override
            public void stageFinished(String stageId, String status, long durationMillis) {
                a.stageFinished(stageId, status, durationMillis);
                b.stageFinished(stageId, status, durationMillis);
            }
        };
    }
}
