package dev.gantry.engine.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The binary body of {@code POST tasks/{id}/events} (protocol 3,
 * {@value #MEDIA_TYPE}): a JSON header, then the log chunks as raw bytes, so a task's output
 * travels without base64 and without being parsed as JSON. The chunks' boundaries are the
 * agent's writes, exactly as in the JSON form, so the controller's log (line splitting, masking)
 * sees the same pieces either way.
 *
 * <pre>
 * int32 H, H bytes of UTF-8 JSON: {"seq": S, "first": N, "result": null | {...}, "known": [...]}
 * frames up to the end of the body: 1 byte stream (0 out, 1 err), int32 L, L bytes
 * </pre>
 * Integers are big-endian; the frames' sequence numbers are S, S + 1, ...
 */
final class EventFrames {
    /** The content type of the binary form. */
    static final String MEDIA_TYPE = "application/vnd.gantry.events";
    /** Larger headers or frames are refused: no agent sends them (a frame is one write of a task's output). */
    private static final int MAX_HEADER = 256 * 1024 * 1024;
    private static final int MAX_FRAME = 64 * 1024 * 1024;

    private EventFrames() {
    }

    /**
     * The body for {@code header} (its {@code seq} must be the first chunk's sequence number) and
     * {@code chunks}, as pieces for {@code BodyPublishers.ofByteArrays}: the chunks' data is not copied.
     */
    static List<byte[]> encode(Map<String, Object> header, List<TaskCall.Chunk> chunks) throws IOException {
        byte[] json = AgentProtocol.JSON.writeValueAsBytes(header);
        List<byte[]> parts = new ArrayList<>(1 + 2 * chunks.size());
        parts.add(ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array());
        for (TaskCall.Chunk c : chunks) {
            parts.add(ByteBuffer.allocate(5).put((byte) (AgentProtocol.ERR.equals(c.stream()) ? 1 : 0)).putInt(c.data().length).array());
            parts.add(c.data());
        }
        return parts;
    }

    /** The whole body in one array (tests, and clients that do not stream). */
    static byte[] encodeToArray(Map<String, Object> header, List<TaskCall.Chunk> chunks) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : encode(header, chunks)) {
            out.write(p);
        }
        return out.toByteArray();
    }

    /** Reads a body as it arrives: the header first, then one chunk at a time. Not thread-safe. */
    static final class Reader {
        private final DataInputStream in;
        private final Map<String, Object> header;
        private long seq;

        @SuppressWarnings("unchecked")
        Reader(InputStream body) throws IOException {
            this.in = new DataInputStream(body);
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                throw new IOException("the events body is empty; it starts with the length of its JSON header (" + MEDIA_TYPE + ")");
            }
            if (length < 0 || length > MAX_HEADER) {
                throw new IOException("the events body announces a JSON header of " + length + " bytes; at most " + MAX_HEADER + " are taken");
            }
            byte[] json = in.readNBytes(length);
            if (json.length != length) {
                throw new IOException("the events body ended inside its JSON header (" + json.length + " of " + length + " bytes)");
            }
            this.header = AgentProtocol.JSON.readValue(json, Map.class);
            this.seq = header.get("seq") instanceof Number n ? n.longValue() : 0;
        }

        /** The header: {@code seq}, {@code first}, {@code result}, {@code known}. */
        Map<String, Object> header() {
            return header;
        }

        /** The next chunk, or null at the end of the body. */
        TaskCall.Chunk next() throws IOException {
            int stream = in.read();
            if (stream < 0) {
                return null;
            }
            if (stream > 1) {
                throw new IOException("an events frame names stream " + stream + "; only 0 (out) and 1 (err) exist");
            }
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                throw new IOException("the events body ended inside the length of chunk " + seq);
            }
            if (length < 0 || length > MAX_FRAME) {
                throw new IOException("chunk " + seq + " announces " + length + " bytes; at most " + MAX_FRAME + " are taken");
            }
            byte[] data = in.readNBytes(length);
            if (data.length != length) {
                throw new IOException("the events body ended inside chunk " + seq + " (" + data.length + " of " + length + " bytes)");
            }
            return new TaskCall.Chunk(seq++, stream == 1 ? AgentProtocol.ERR : AgentProtocol.OUT, data);
        }
    }
}
