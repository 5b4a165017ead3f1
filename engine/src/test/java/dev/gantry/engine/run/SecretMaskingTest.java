package dev.gantry.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming masker between a build and its log sinks. */
class SecretMaskingTest {
    private static final LogSink.LogSource SOURCE = new LogSink.LogSource(null, "1", null, false);

    /** Collects what reaches the real sinks, as the console would print it. */
    private static final class Collecting implements LogSink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<String> chunks = new ArrayList<>();

        @Override
        public synchronized void chunk(LogSource source, byte[] bytes, int offset, int length, boolean startsLine, boolean endsLine) {
            out.write(bytes, offset, length);
            chunks.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
            if (endsLine) {
                out.write('\n');
            }
        }

        @Override
        public void flush() {
        }

        String text() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static void write(LogSink sink, String s, boolean starts, boolean ends) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sink.chunk(SOURCE, b, 0, b.length, starts, ends);
    }

    @Test
    void aSecretSplitAcrossPiecesOfOneLineIsMasked() {
        BuildSecrets secrets = new BuildSecrets();
        secrets.add("TOKEN", "abcdefgh");
        Collecting c = new Collecting();
        MaskingLogSink sink = new MaskingLogSink(c, secrets);
        write(sink, "x=abc", true, false);
        write(sink, "de", false, false);
        write(sink, "fgh and abcdefgh", false, false);
        write(sink, "!", false, true);
        assertEquals("x=**** and ****!\n", c.text());
        assertFalse(String.join("", c.chunks).contains("abcdefgh"));
    }

    @Test
    void heldBackBytesNeverExceedTheLongestSecret() {
        BuildSecrets secrets = new BuildSecrets();
        secrets.add("S", "0123456789");
        Collecting c = new Collecting();
        MaskingLogSink sink = new MaskingLogSink(c, secrets);
        write(sink, "y".repeat(100), true, false);
        assertEquals(100 - 9, c.out.size(), "all but the longest secret minus one byte goes out at once");
        write(sink, "", false, true);
        assertEquals("y".repeat(100) + "\n", c.text());
    }

    @Test
    void multiLineSecretsAreMaskedLineByLineAndOverlapsMerge() {
        BuildSecrets secrets = new BuildSecrets();
        secrets.add("KEY", "-----BEGIN KEY-----\nAAAABBBBCCCC\r\nDDDDEEEE\n-----END KEY-----\n");
        secrets.add("A", "hello world");
        secrets.add("B", "world wide");
        Collecting c = new Collecting();
        MaskingLogSink sink = new MaskingLogSink(c, secrets);
        write(sink, "-----BEGIN KEY-----", true, true);
        write(sink, "AAAABBBBCCCC", true, true);
        write(sink, "key: DDDDEEEE.", true, true);
        write(sink, "hello world wide web", true, true);
        assertEquals("****\n****\nkey: ****.\n**** web\n", c.text());
    }

    @Test
    void withoutSecretsChunksPassUnchanged() {
        BuildSecrets secrets = new BuildSecrets();
        Collecting c = new Collecting();
        MaskingLogSink sink = new MaskingLogSink(c, secrets);
        write(sink, "part", true, false);
        write(sink, " two", false, true);
        assertEquals(List.of("part", " two"), c.chunks);
        secrets.add("V", "secret");
        assertEquals("x **** y", secrets.mask("x secret y"));
    }

    @Test
    void aProcessLineLongerThanTheSplitterBoundIsMaskedAcrossItsPieces() {
        BuildSecrets secrets = new BuildSecrets();
        String secret = "Zq9-secret-value";
        secrets.add("T", secret);
        Collecting c = new Collecting();
        MaskingLogSink sink = new MaskingLogSink(c, secrets);
        LineSplittingStream stream = new LineSplittingStream(sink, SOURCE, () -> { });
        byte[] line = ("a".repeat(LineSplittingStream.MAX_LINE - 5) + secret + "b".repeat(10) + "\n").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < line.length; i += 7) {
            stream.write(line, i, Math.min(7, line.length - i));
        }
        stream.close();
        String text = c.text();
        assertFalse(text.contains(secret));
        assertTrue(text.contains("a****b"), text.substring(Math.max(0, text.length() - 40)));
        assertTrue(c.chunks.size() > 1, "the line arrived in several pieces");
    }

    /** What masking must give: every byte inside any occurrence of any secret covered, each run of covered bytes one mask. */
    private static String naiveMask(String text, List<String> secrets) {
        boolean[] covered = new boolean[text.length()];
        for (String secret : secrets) {
            for (int at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
                java.util.Arrays.fill(covered, at, at + secret.length(), true);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (!covered[i]) {
                sb.append(text.charAt(i));
            } else if (i == 0 || !covered[i - 1]) {
                sb.append("****");
            }
        }
        return sb.toString();
    }

    /**
     * The Aho-Corasick scan against a plain search, on many random secrets and lines over a small
     * alphabet (so that secrets overlap, nest and chain): a match that overlaps more than the match
     * before it (a long secret starting inside an earlier one, a short one between) is one masked run.
     */
    @Test
    void maskingAgreesWithAPlainSearchOnRandomOverlappingSecrets() {
        java.util.Random random = new java.util.Random(20261122);
        assertEquals("****", SecretMasker.EMPTY.with(List.of("0123456789", "56789abcde", "cd")).mask("0123456789abcde"),
                "three matches, the last overlapping the first two");
        for (int round = 0; round < 20_000; round++) {
            List<String> secrets = new ArrayList<>();
            for (int n = 1 + random.nextInt(5); n > 0; n--) {
                secrets.add(randomText(random, 1 + random.nextInt(6)));
            }
            String text = randomText(random, random.nextInt(40));
            assertEquals(naiveMask(text, secrets), SecretMasker.EMPTY.with(secrets).mask(text), "secrets " + secrets + " in '" + text + "'");
        }
    }

    private static String randomText(java.util.Random random, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append("abc".charAt(random.nextInt(3)));
        }
        return sb.toString();
    }
}
