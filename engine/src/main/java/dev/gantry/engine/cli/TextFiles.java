package dev.gantry.engine.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Decoding pipeline files strictly: invalid UTF-8 is reported, never silently replaced. */
final class TextFiles {
    private TextFiles() {
    }

    /** The text, without a byte-order mark, or null when the bytes are not UTF-8. */
    static String decodeUtf8(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
