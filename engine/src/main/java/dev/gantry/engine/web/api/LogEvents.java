package dev.gantry.engine.web.api;

import dev.gantry.engine.server.BuildLogs;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.glassfish.jersey.server.ChunkedOutput;

/**
 * A build's log as server-sent events. Followers hold no thread while they wait: each is an
 * object subscribed to the build's log, woken by the log writer's flushes (every ~100 ms while
 * output comes) and by one shared ticker (once a second, for builds still queued and for
 * heartbeats); when woken it runs briefly on a virtual thread, sends what is new, and returns.
 * A slow client only holds up its own follower. Events:
 * <ul>
 *   <li>(unnamed) {@code id: <offset after the lines>}, {@code data: {"start": S, "text": "..."}}
 *       ({@code "base64"} instead of {@code "text"} when the bytes are not UTF-8): whole lines,
 *       byte-exact; the id is where to resume ({@code Last-Event-ID}).</li>
 *   <li>{@code end}: {@code {"result", "size", "error"}} once the build completed and every byte was
 *       sent; then the stream closes.</li>
 *   <li>with {@code ?steps=true}, each event also has {@code "steps": [{"start", "id", "title", "status"}]}:
 *       which step wrote which of its lines (see {@link dev.gantry.engine.web.ui.LogSteps#segments}).</li>
 *   <li>comments ({@code : keep-alive}) every 15 s when nothing else was sent.</li>
 * </ul>
 */
final class LogEvents {
    private static final int CHUNK = 64 * 1024;
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Set<Follower> ACTIVE = ConcurrentHashMap.newKeySet();
    private static volatile ScheduledExecutorService ticker;

    private LogEvents() {
    }

    /** Followers streaming now in this JVM. */
    static int active() {
        return ACTIVE.size();
    }

    /**
     * Streams the log of {@code job #number} from byte {@code offset} into a new output, which
     * {@code attach} hands to Jersey ({@code AsyncResponse.resume}) before anything else touches it.
     * The follower starts only after {@code attach} returned: Jersey suspends a chunked response
     * with a check-then-act on the servlet request, and an output closed by another thread inside
     * that window leaves the request suspended forever (the client never sees the end). The
     * resource method is therefore {@code @Suspended} (the request is already async when it runs)
     * and the follower writes only once Jersey has attached the output.
     */
    static void open(Controller controller, BuildLogs logs, String job, int number, long offset, boolean steps,
                     Consumer<ChunkedOutput<byte[]>> attach) {
        ChunkedOutput<byte[]> out = new ChunkedOutput<>(byte[].class);
        Follower f = new Follower(controller, logs, job, number, offset, out, steps);
        f.send(("retry: 2000\n: log of " + job.replaceAll("[\\r\\n]", "_") + " #" + number + " from byte " + offset + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        attach.accept(out);
        ensureTicker();
        ACTIVE.add(f);
        f.unsubscribe = logs.follow(job, number, f::wake);
        f.wake();
    }

    private static void ensureTicker() {
        if (ticker == null) {
            synchronized (LogEvents.class) {
                if (ticker == null) {
                    ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread th = new Thread(r, "gantry-log-events");
                        th.setDaemon(true);
                        return th;
                    });
                    t.scheduleWithFixedDelay(LogEvents::tick, 1, 1, TimeUnit.SECONDS);
                    ticker = t;
                }
            }
        }
    }

    private static void tick() {
        long now = System.nanoTime();
        for (Follower f : ACTIVE) {
            if (now - f.lastRun >= RECHECK_NANOS) {
                f.wake();
            }
        }
    }

    /** One client's stream. */
    private static final class Follower {
        private final Controller controller;
        private final BuildLogs logs;
        private final String job;
        private final int number;
        private final ChunkedOutput<byte[]> out;
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile boolean dirty;
        private volatile boolean closed;
        private volatile long lastRun = System.nanoTime();
        private volatile long lastWrite = System.nanoTime();
        private volatile Runnable unsubscribe = () -> { };
        private final boolean steps;
        /** The step index for this run's events (steps only); null until the first needs it. */
        private dev.gantry.engine.store.LogIndex stepIndex;
        private long offset;

        Follower(Controller controller, BuildLogs logs, String job, int number, long offset, ChunkedOutput<byte[]> out, boolean steps) {
            this.steps = steps;
            this.controller = controller;
            this.logs = logs;
            this.job = job;
            this.number = number;
            this.offset = offset;
            this.out = out;
        }

        /** Asks for a run; never blocks (called on the log writer's thread). */
        void wake() {
            dirty = true;
            if (!closed && scheduled.compareAndSet(false, true)) {
                Thread.ofVirtual().name("log-events-" + number).start(this::run);
            }
        }

        private void run() {
            try {
                while (true) {
                    dirty = false;
                    lastRun = System.nanoTime();
                    pump();
                    scheduled.set(false);
                    if (closed || !dirty || !scheduled.compareAndSet(false, true)) {
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // The client went away (or the log vanished with its job): nothing to tell anyone.
                close();
                scheduled.set(false);
            }
        }

        private void pump() throws IOException {
            if (closed) {
                return;
            }
            // Status before size: a build seen completed has its final size.
            Optional<BuildRecord> b = controller.build(job, number);
            if (b.isEmpty()) {
                end(null);
                return;
            }
            boolean completed = b.get().status() == BuildStatus.COMPLETED;
            long size = logs.size(job, number);
            stepIndex = null; // read again, once, by the first event of this run
            while (offset < size && !closed) {
                int want = (int) Math.min(CHUNK, size - offset);
                byte[] buf;
                try (InputStream in = logs.read(job, number, offset)) {
                    buf = in.readNBytes(want);
                }
                if (buf.length == 0) {
                    break;
                }
                int cut = buf.length;
                if (!completed) {
                    int nl = lastNewline(buf);
                    if (nl >= 0) {
                        cut = nl + 1;
                    } else if (buf.length < CHUNK) {
                        break; // the line is not finished yet; it comes whole with its end
                    }
                }
                event(offset, buf, cut);
                offset += cut;
            }
            if (completed && offset >= size) {
                end(b.get().result());
                return;
            }
            if (System.nanoTime() - lastWrite >= HEARTBEAT_NANOS) {
                write(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
            }
        }

        private static int lastNewline(byte[] b) {
            for (int i = b.length - 1; i >= 0; i--) {
                if (b[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private void event(long start, byte[] buf, int length) throws IOException {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("start", start);
            String text = utf8(buf, length);
            if (text != null) {
                data.put("text", text);
            } else {
                data.put("base64", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf, length)));
            }
            if (steps) {
                // The index is committed before followers are woken, so the one read after this
                // run's size covers these bytes; read once per run, not once per chunk of a long log.
                if (stepIndex == null) {
                    stepIndex = logs.index(job, number);
                }
                data.put("steps", dev.gantry.engine.web.ui.LogSteps.segments(stepIndex, start, start + length));
            }
            write(("id: " + (start + length) + "\ndata: ").getBytes(StandardCharsets.US_ASCII), RestApi.toJson(data), "\n\n".getBytes(StandardCharsets.US_ASCII));
        }

        private void end(String result) throws IOException {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("result", result);
            data.put("size", offset);
            data.put("error", logs.failure(job, number).orElse(result == null ? "the build no longer exists" : null));
            write(("id: " + offset + "\nevent: end\ndata: ").getBytes(StandardCharsets.US_ASCII), RestApi.toJson(data), "\n\n".getBytes(StandardCharsets.US_ASCII));
            close();
        }

        private void write(byte[]... parts) throws IOException {
            int n = 0;
            for (byte[] p : parts) {
                n += p.length;
            }
            ByteBuffer all = ByteBuffer.allocate(n);
            for (byte[] p : parts) {
                all.put(p);
            }
            out.write(all.array());
            lastWrite = System.nanoTime();
        }

        /** The first write, from the request thread; a failure closes the follower. */
        void send(byte[] b) {
            try {
                write(b);
            } catch (IOException e) {
                close();
            }
        }

        private void close() {
            closed = true;
            ACTIVE.remove(this);
            unsubscribe.run();
            try {
                out.close();
            } catch (IOException e) {
                // the connection is gone already
            }
        }

        private static String utf8(byte[] b, int len) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, 0, len)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }
    }
}
