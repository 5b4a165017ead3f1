package dev.gantry.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogIndexTest {
    @TempDir
    Path home;

    private static LogIndex reread(ByteArrayOutputStream file) throws Exception {
        return LogIndex.read(new ByteArrayInputStream(file.toByteArray()));
    }

    @Test
    void interleavedParallelStepsGetManyRangesAndReadBackSeparately() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LogIndex.Writer w = new LogIndex.Writer(file, LogIndex.empty());
        w.stage("s1", "Test", null, 1000);
        w.step("stage[Test]/0", "parallel", "s1", 1001);
        w.step("stage[Test]/0[a]/0", "sh", "s1", 1002);
        w.step("stage[Test]/0[b]/0", "sh", "s1", 1002);
        for (int i = 0; i < 100; i++) {
            String branch = i % 2 == 0 ? "a" : "b";
            byte[] line = ("[" + branch + "] line " + i + "\n").getBytes(StandardCharsets.UTF_8);
            w.range("stage[Test]/0[" + branch + "]/0", log.size(), log.size() + line.length);
            log.writeBytes(line);
            if (i % 7 == 0) {
                w.commit();
            }
        }
        w.end("stage[Test]/0[a]/0", "SUCCESS", 40);
        w.end("stage[Test]/0[b]/0", "FAILURE", 41);
        w.end("stage[Test]/0", "FAILURE", 42);
        w.end("s1", "FAILURE", 43);
        w.commit();
        LogIndex index = reread(file);

        assertEquals(List.of("s1", "stage[Test]/0", "stage[Test]/0[a]/0", "stage[Test]/0[b]/0"), index.nodes().stream().map(LogIndex.Node::id).toList());
        LogIndex.Node a = index.node("stage[Test]/0[a]/0").orElseThrow();
        assertEquals("stage[Test]/0", a.parent(), "the enclosing step, found from the id");
        assertEquals("s1", a.stage());
        assertEquals("SUCCESS", a.status());
        assertEquals(40, a.durationMillis());
        assertEquals("s1", index.node("stage[Test]/0").orElseThrow().parent());
        List<LogIndex.Range> ra = index.ranges("stage[Test]/0[a]/0");
        assertEquals(50, ra.size(), "every other line: one range each");
        String text = log.toString(StandardCharsets.UTF_8);
        StringBuilder onlyA = new StringBuilder();
        for (LogIndex.Range r : ra) {
            onlyA.append(text, (int) r.start(), (int) r.end());
        }
        assertTrue(onlyA.toString().lines().allMatch(l -> l.startsWith("[a] ")), onlyA.toString());
        assertEquals(50, onlyA.toString().lines().count());
        assertEquals(List.of(new LogIndex.Range(0, log.size())), index.ranges("s1"), "the stage has every line, merged into one range");
        assertEquals(List.of(new LogIndex.Range(0, log.size())), index.ranges("stage[Test]/0"), "a block step holds its branches");
        assertEquals(a.bytes(), ra.stream().mapToLong(LogIndex.Range::length).sum());
        assertEquals(List.of(), index.ranges("nope"));
    }

    @Test
    void oneStepWritingOnAndOnAddsARecordPerCommitNotPerLine() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LogIndex.Writer w = new LogIndex.Writer(file, LogIndex.empty());
        w.step("0", "sh", null, 1);
        long at = 0;
        for (int commit = 0; commit < 10; commit++) {
            for (int line = 0; line < 10_000; line++) {
                w.range("0", at, at + 20);
                at += 20;
            }
            w.commit();
        }
        String records = file.toString(StandardCharsets.US_ASCII);
        assertEquals(10, records.lines().filter(l -> l.startsWith("R ")).count(), records);
        assertEquals(List.of(new LogIndex.Range(0, at)), reread(file).ranges("0"));
    }

    @Test
    void namesAndIdsWithSpacesNewlinesAndUnicodeRoundTrip() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LogIndex.Writer w = new LogIndex.Writer(file, LogIndex.empty());
        String name = "Build & test\n100% \u00e9t\u00e9 <b>";
        w.stage("s1", name, null, 5);
        w.step("stage[" + name + "]/0", "echo", "s1", 6);
        w.range("stage[" + name + "]/0", 0, 3);
        w.commit();
        assertEquals(2, file.toString(StandardCharsets.US_ASCII).lines().filter(l -> l.startsWith("N ")).count());
        LogIndex index = reread(file);
        assertEquals(name, index.nodes().get(0).name());
        assertEquals(List.of(new LogIndex.Range(0, 3)), index.ranges("stage[" + name + "]/0"));
        assertEquals("", LogIndex.decode(LogIndex.encode("")));
    }

    @Test
    void aCutShortLastRecordIsIgnoredAndAppendingContinuesTheNumbering() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LogIndex.Writer w = new LogIndex.Writer(file, LogIndex.empty());
        w.step("0", "echo", null, 1);
        w.range("0", 0, 10);
        w.commit();
        file.writeBytes("R 1 10 2".getBytes(StandardCharsets.US_ASCII)); // a crash in the middle of a record
        LogIndex torn = reread(file);
        assertEquals(List.of(new LogIndex.Range(0, 10)), torn.ranges("0"));
        LogIndex.Writer again = new LogIndex.Writer(file, torn);
        again.step("1", "sh", null, 2);
        again.range("1", 10, 30);
        again.commit();
        LogIndex index = reread(file);
        assertEquals(List.of(new LogIndex.Range(10, 30)), index.ranges("1"));
        assertEquals(2, index.node("1").orElseThrow().ref());
        assertEquals(List.of(new LogIndex.Range(0, 10)), index.ranges("0"));
    }

    @Test
    void aFiftyMegabyteLogIsReadByStepReadingOnlyThatStepsBytes() throws Exception {
        Store store = Store.open(home);
        try {
            store.jobs().save("big", "x", 0L);
            store.builds().create("big", Map.of(), "x");
            LogStore logs = store.logs();
            byte[] noise = ("x".repeat(99) + "\n").getBytes(StandardCharsets.US_ASCII);
            long quietStart;
            try (OutputStream log = logs.append("big", 1); OutputStream idx = logs.appendIndex("big", 1)) {
                LogIndex.Writer w = new LogIndex.Writer(idx, LogIndex.empty());
                w.step("0[loud]/0", "sh", null, 1);
                w.step("0[quiet]/0", "echo", null, 1);
                long at = 0;
                byte[] block = new byte[noise.length * 1000];
                for (int i = 0; i < 1000; i++) {
                    System.arraycopy(noise, 0, block, i * noise.length, noise.length);
                }
                quietStart = -1;
                for (int i = 0; i < 500; i++) { // 500 x 100 KB = 50 MB
                    log.write(block);
                    w.range("0[loud]/0", at, at + block.length);
                    at += block.length;
                    if (i % 100 == 50) {
                        byte[] q = ("quiet " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                        log.write(q);
                        w.range("0[quiet]/0", at, at + q.length);
                        quietStart = quietStart < 0 ? at : quietStart;
                        at += q.length;
                    }
                }
                log.flush();
                w.commit();
            }
            assertTrue(logs.size("big", 1) > 50_000_000L);
            Path dir = home.resolve("builds");
            long indexBytes;
            try (var files = Files.walk(dir)) {
                indexBytes = Files.size(files.filter(p -> p.getFileName().toString().equals("log.index")).findFirst().orElseThrow());
            }
            assertTrue(indexBytes < 2_000, "the index of a 50 MB log stays small: " + indexBytes + " bytes");
            LogIndex index = logs.index("big", 1);
            List<LogIndex.Range> quiet = index.ranges("0[quiet]/0");
            assertEquals(5, quiet.size());
            assertEquals(quietStart, quiet.get(0).start());
            byte[] read;
            try (InputStream in = logs.read("big", 1, quiet)) {
                read = in.readAllBytes();
            }
            assertArrayEquals("quiet 50\nquiet 150\nquiet 250\nquiet 350\nquiet 450\n".getBytes(StandardCharsets.US_ASCII), read);
        } finally {
            store.close();
        }
    }
}
