package dev.gantry.engine.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.web.InMemoryController;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LimitsAndStreamingTest {

    /** A body of {@code size} bytes ('a' after an opening quote) that counts what the client sent. */
    private static InputStream countingBody(long size, AtomicLong sent) {
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                if (position >= size) {
                    return -1;
                }
                sent.incrementAndGet();
                return position++ == 0 ? '"' : 'a';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) (position++ == 0 ? '"' : 'a');
                }
                sent.addAndGet(n);
                return n;
            }
        };
    }

    @Test
    void declaredOversizedBodyIs413BeforeItIsSent() throws IOException {
        long limit = 64 * 1024;
        try (Api api = new Api(limit)) {
            AtomicLong sent = new AtomicLong();
            long size = 50L * 1024 * 1024;
            HttpRequest request = api.request("/api/v1/jobs/big").header("Content-Type", "application/json").expectContinue(true)
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> countingBody(size, sent)), size))
                    .build();
            HttpResponse<String> r = api.send(request);
            assertEquals(413, r.statusCode(), r.body());
            assertEquals("payload_too_large", Api.json(r).get("code").asText());
            assertTrue(Api.json(r).get("message").asText().contains(Long.toString(limit)), r.body());
            assertTrue(sent.get() < size / 2, "the client sent " + sent.get() + " bytes");
            assertTrue(api.controller.job("big").isEmpty());
        }
    }

    @Test
    void chunkedOversizedBodyIs413WhileReading() throws IOException {
        long limit = 1024;
        try (Api api = new Api(limit)) {
            // the body is refused while being read: the reader gives up at the limit
            HttpRequest request = api.request("/api/v1/jobs/big").header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> countingBody(200 * 1024, new AtomicLong())))
                    .build();
            HttpResponse<String> r = api.send(request);
            assertEquals(413, r.statusCode(), r.body());
            assertEquals("payload_too_large", Api.json(r).get("code").asText());
            assertTrue(api.controller.job("big").isEmpty());
            assertEquals(201, api.putJob("small", "x".repeat(900)).statusCode(), "a body under the limit");
        }
    }

    @Test
    void fiftyMegabyteLogIsStreamedNotBuffered() throws IOException, InterruptedException {
        try (Api api = new Api()) {
            api.putJob("big", "x");
            api.send("POST", "/api/v1/jobs/big/builds", null);
            long size = 50L * 1024 * 1024;
            api.controller.generatedLog("big", 1, size);
            HttpResponse<InputStream> r = api.client.send(api.request("/api/v1/jobs/big/builds/1/log").build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            assertEquals(Long.toString(size), r.headers().firstValue("X-Text-Size").orElseThrow());
            long position = 0;
            long producedAtFirstChunk = -1;
            byte[] chunk = new byte[16 * 1024];
            try (InputStream in = r.body()) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    if (producedAtFirstChunk < 0) {
                        producedAtFirstChunk = api.controller.generatedBytesRead();
                    }
                    for (int i = 0; i < n; i++) {
                        if (chunk[i] != InMemoryController.generatedByte(position + i)) {
                            throw new AssertionError("byte " + (position + i) + " differs");
                        }
                    }
                    position += n;
                }
            }
            assertEquals(size, position);
            // a server that buffered the log would have produced all of it before the first byte left
            assertTrue(producedAtFirstChunk < size / 2, "produced " + producedAtFirstChunk + " bytes before the client got any");
        }
    }

    @Test
    void logRangeOfAGeneratedLogStartsAtTheOffset() throws IOException {
        try (Api api = new Api()) {
            api.putJob("big", "x");
            api.send("POST", "/api/v1/jobs/big/builds", null);
            api.controller.generatedLog("big", 1, 1000);
            HttpResponse<String> r = api.get("/api/v1/jobs/big/builds/1/log?start=990");
            assertEquals(10, r.body().length());
            StringBuilder expected = new StringBuilder();
            for (long p = 990; p < 1000; p++) {
                expected.append((char) InMemoryController.generatedByte(p));
            }
            assertEquals(expected.toString(), r.body());
        }
    }

    @Test
    void jettyLevelErrorsAreJsonWithoutServerHeader() throws IOException {
        try (Api api = new Api(); Socket s = new Socket("127.0.0.1", api.server.port())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /api/v1/jobs/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.toLowerCase().contains("content-type: application/json"), response);
            assertTrue(response.contains("\"code\":\"bad_request\""), response);
            assertTrue(!response.toLowerCase().contains("server:") && !response.toLowerCase().contains("jetty"), response);
        }
    }
}
