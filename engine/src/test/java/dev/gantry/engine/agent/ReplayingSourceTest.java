package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplayingSourceTest {
    private static byte[] data(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    private static byte[] read(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(b, got, Math.min(n - got, 777));
            if (r < 0) {
                break;
            }
            got += r;
        }
        return Arrays.copyOf(b, got);
    }

    @Test
    void aResumedReaderGetsTheBytesFromItsOffsetAndTheOldReaderFails() throws Exception {
        byte[] all = data(300_000);
        ReplayingSource s = new ReplayingSource(new ByteArrayInputStream(all), 100_000);
        InputStream first = s.from(0);
        assertArrayEquals(Arrays.copyOf(all, 250_000), read(first, 250_000));
        // The receiver got only 180 000 bytes before the connection dropped.
        InputStream resumed = s.from(180_000);
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        resumed.transferTo(rest);
        assertArrayEquals(Arrays.copyOfRange(all, 180_000, all.length), rest.toByteArray());
        IOException e = assertThrows(IOException.class, () -> first.read());
        assertEquals("this transfer was superseded by a resumed one", e.getMessage());
    }

    @Test
    void onlyTheLastCapacityBytesCanBeReplayed() throws Exception {
        ReplayingSource s = new ReplayingSource(new ByteArrayInputStream(data(300_000)), 100_000);
        read(s.from(0), 250_000);
        assertEquals(150_000, s.oldest());
        assertTrue(s.canStartAt(150_000) && s.canStartAt(250_000));
        IOException e = assertThrows(IOException.class, () -> s.from(149_999));
        assertEquals("cannot resume at byte 149999: only bytes 150000 to 250000 are kept for resuming", e.getMessage());
        assertThrows(IOException.class, () -> s.from(250_001), "bytes not read yet cannot be asked for");
    }

    @Test
    void rangeHeadersOfBothDirectionsAreRead() {
        assertEquals(0, AgentProtocolResource.rangeStart(null));
        assertEquals(1234, AgentProtocolResource.rangeStart("bytes=1234-"));
        assertEquals(99, AgentProtocolResource.rangeStart("bytes 99-*/*"));
        AgentService.Refused e = assertThrows(AgentService.Refused.class, () -> AgentProtocolResource.rangeStart("lines=3-"));
        assertEquals(400, e.status);
    }
}
