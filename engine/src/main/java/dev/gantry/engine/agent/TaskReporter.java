package dev.gantry.engine.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's outbox for one task: log chunks numbered in order and, last, the result. A sender
 * thread posts whatever is pending in one call and drops what the controller acknowledged; when
 * the network or the controller is away it keeps everything and tries again, with the same
 * sequence numbers, so the controller gets each chunk once and in order. The log buffered meanwhile
 * is bounded: past {@link #MAX_BUFFERED} bytes, the task's output blocks (and with it the process).
 */
final class TaskReporter {
    static final long MAX_BUFFERED = 64L * 1024 * 1024;
    private static final int MAX_BATCH_BYTES = 1024 * 1024;
    private static final long LINGER_NANOS = 10_000_000L;

    private record Chunk(long seq, String stream, byte[] data) {
    }

    private final AgentProcess agent;
    private final String taskId;
    private final Deque<Chunk> pending = new ArrayDeque<>();
    private long nextSeq;
    private long buffered;
    private Map<String, Object> result;
    private boolean finished;

    TaskReporter(AgentProcess agent, String taskId) {
        this.agent = agent;
        this.taskId = taskId;
        Thread.ofVirtual().name("report-" + taskId).start(this::send);
    }

    /** A log stream of the task: each write becomes a chunk. */
    OutputStream stream(String stream) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 0) {
                    chunk(stream, java.util.Arrays.copyOfRange(b, off, off + len));
                }
            }
        };
    }

    private synchronized void chunk(String stream, byte[] data) throws IOException {
        while (buffered > MAX_BUFFERED && !finished) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the log waits for the controller");
            }
        }
        if (finished) {
            return;
        }
        pending.add(new Chunk(nextSeq++, stream, data));
        buffered += data.length;
        notifyAll();
    }

    /** The task's result: sent after every chunk written before. */
    synchronized void result(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>(r);
        m.put("seqEnd", nextSeq);
        result = m;
        notifyAll();
    }

    private void send() {
        int failures = 0;
        while (true) {
            List<Map<String, Object>> chunks = new ArrayList<>();
            Map<String, Object> withResult;
            synchronized (this) {
                while (pending.isEmpty() && result == null && !finished) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (finished) {
                    return;
                }
                // Output of a short process and its result then travel in one call: a few
                // milliseconds of delay on live output save a round trip per step.
                long lingerEnd = System.nanoTime() + LINGER_NANOS;
                while (result == null && buffered < MAX_BATCH_BYTES && !finished) {
                    long left = lingerEnd - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                int bytes = 0;
                for (Chunk c : pending) {
                    if (bytes > 0 && bytes + c.data().length > MAX_BATCH_BYTES) {
                        break;
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("seq", c.seq());
                    m.put("stream", c.stream());
                    m.put("data", Base64.getEncoder().encodeToString(c.data()));
                    chunks.add(m);
                    bytes += c.data().length;
                }
                withResult = chunks.size() == pending.size() ? result : null;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("chunks", chunks);
            body.put("result", withResult);
            try {
                Map<String, Object> answer = agent.post("tasks/" + taskId + "/events", body, Duration.ofSeconds(60));
                long ack = ((Number) answer.get("ack")).longValue();
                failures = 0;
                synchronized (this) {
                    while (!pending.isEmpty() && pending.peekFirst().seq() < ack) {
                        buffered -= pending.removeFirst().data().length;
                    }
                    notifyAll();
                    if (withResult != null) {
                        finished = true;
                    }
                }
                if (withResult != null) {
                    agent.reported(taskId);
                    return;
                }
            } catch (AgentHttp.Status s) {
                if (s.status == 404 || s.status == 401) {
                    // The controller does not have the task (any more): stop it, drop its output.
                    stop();
                    return;
                }
                if (!backOff(failures++, s)) {
                    return;
                }
            } catch (IOException e) {
                if (!backOff(failures++, e)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean backOff(int failures, Exception e) {
        try {
            agent.pause(failures, e);
            return true;
        } catch (InterruptedException ie) {
            return false;
        }
    }

    private void stop() {
        synchronized (this) {
            finished = true;
            pending.clear();
            buffered = 0;
            notifyAll();
        }
        agent.gone(taskId);
    }
}
