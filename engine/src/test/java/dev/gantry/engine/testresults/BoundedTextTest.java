package dev.gantry.engine.testresults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BoundedTextTest {

    /** What trimming means, computed on the whole text. */
    private static String expected(String all, int half) {
        if (all.length() <= 2 * half) {
            return all;
        }
        return all.substring(0, half) + "\n...[truncated " + (all.length() - 2 * half) + " characters]...\n"
                + all.substring(all.length() - half);
    }

    @Test
    void chunkedAppendsKeepExactlyTheHeadAndTailOfTheWholeText() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int half = 1 + random.nextInt(700);
            BoundedText text = new BoundedText(half);
            StringBuilder all = new StringBuilder();
            int chunks = random.nextInt(40);
            for (int i = 0; i < chunks; i++) {
                char[] chunk = new char[random.nextInt(3 * half)];
                for (int j = 0; j < chunk.length; j++) {
                    chunk[j] = (char) ('a' + random.nextInt(26));
                }
                int offset = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
                text.append(chunk, offset, chunk.length - offset);
                all.append(chunk, offset, chunk.length - offset);
            }
            assertEquals(all.length(), text.length());
            assertEquals(expected(all.toString(), half), text.toString(), "half " + half + ", round " + round);
            int smaller = 1 + random.nextInt(half);
            assertEquals(expected(all.toString(), smaller), text.toString(smaller), "trimmed to " + smaller);
        }
    }

    @Test
    void surrogatePairsAreNotCutInTwo() {
        BoundedText text = new BoundedText(3);
        text.append("ab\uD83D\uDE00" + "xxxxxxxx" + "\uD83D\uDE00cd");

        String s = text.toString();

        assertTrue(s.startsWith("ab\n"), s);
        assertTrue(s.endsWith("\ncd"), s);
        assertTrue(s.contains("[truncated 12 characters]"), s);
    }
}
