package dev.gantry.engine.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The agent's outbox for one task: log chunks numbered in order and, last, the result. A sender
 * thread posts what the controller has not acknowledged in one call; when the network or the
 * controller is away it keeps everything and tries again, with the same sequence numbers, so the
 * controller gets each chunk once and in order. The log not acknowledged yet is bounded: past
 * {@link #MAX_BUFFERED} bytes, the task's output blocks (and with it the process).
 *
 * <p>Acknowledged chunks are kept too (up to {@link #MAX_KEPT} bytes, the oldest dropped first),
 * and so is the result after the controller took it when it answers {@code keep}: a controller
 * that restarted and resumes the build re-attaches to the task and asks for everything again
 * ({@link #rewind()}, or an acknowledgement below what was sent), from which its log keeps the
 * lines it lacks.
 */
final class TaskReporter {
    static final long MAX_BUFFERED = 64L * 1024 * 1024;
    /** Output kept for a controller that re-attaches, acknowledged or not. */
    static final long MAX_KEPT = 64L * 1024 * 1024;
    private static final int MAX_BATCH_BYTES = 1024 * 1024;
    private static final long LINGER_NANOS = 10_000_000L;
    /**
     * How long the call that carries a result waits for the agent's next task (protocol 3): the
     * build's next step usually follows within a millisecond or two, but the first steps of a
     * build on a cold controller took over 250 ms in tests. When nothing comes, only the
     * answer's acknowledgement is late (nothing waits for it), and the long poll still takes the work.
     */
    static final long NEXT_TASK_WAIT_MILLIS = 1000;

    private record Chunk(long seq, String stream, byte[] data) {
    }

    private final AgentProcess agent;
    private final String taskId;
    /** Chunks from {@link #oldest} to {@link #nextSeq} - 1. */
    private final Deque<Chunk> kept = new ArrayDeque<>();
    private long oldest;
    private long nextSeq;
    /** The first chunk the controller has not acknowledged. */
    private long acked;
    private long keptBytes;
    private long unackedBytes;
    private Map<String, Object> result;
    private boolean resultTaken;
    private boolean stopped;
    private boolean rewound;
    /** A call is under way (on the sender thread or the task's): one at a time, so chunks go in order. */
    private boolean sending;

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
        while (unackedBytes > MAX_BUFFERED && !stopped) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the log waits for the controller");
            }
        }
        if (stopped) {
            return;
        }
        kept.add(new Chunk(nextSeq++, stream, data));
        keptBytes += data.length;
        unackedBytes += data.length;
        trim();
        notifyAll();
    }

    /** Drops the oldest acknowledged chunks beyond {@link #MAX_KEPT}. */
    private void trim() {
        while (keptBytes > MAX_KEPT && !kept.isEmpty() && kept.peekFirst().seq() < acked) {
            keptBytes -= kept.removeFirst().data().length;
            oldest++;
        }
    }

    /** The task's result: sent after every chunk written before. */
    synchronized void result(Map<String, Object> r) {
        Map<String, Object> m = new LinkedHashMap<>(r);
        m.put("seqEnd", nextSeq);
        result = m;
        notifyAll();
    }

    /** Whether the controller took the result and asked to keep the task (it forgets it with a {@code cancel}). */
    synchronized boolean resultTaken() {
        return resultTaken;
    }

    /** A controller re-attached to the task: everything kept, and the result, are sent again. */
    synchronized void rewind() {
        if (stopped) {
            return;
        }
        acked = oldest;
        unackedBytes = keptBytes;
        resultTaken = false;
        rewound = true;
        notifyAll();
    }

    /** Stops sending and drops the output (the task is forgotten). */
    synchronized void close() {
        stopped = true;
        kept.clear();
        keptBytes = 0;
        unackedBytes = 0;
        notifyAll();
    }

    private boolean idle() {
        return acked >= nextSeq && (result == null || resultTaken);
    }

    /** What one call sends, taken under the lock. */
    private record Batch(long from, long first, List<TaskCall.Chunk> chunks, Map<String, Object> result) {
    }

    /** Takes what the next call sends, and the right to send it; the caller holds the lock. */
    private Batch batch() {
        long from = Math.max(acked, oldest);
        List<TaskCall.Chunk> chunks = new ArrayList<>();
        int bytes = 0;
        boolean all = true;
        for (Chunk c : kept) {
            if (c.seq() < from) {
                continue;
            }
            if (bytes > 0 && bytes + c.data().length > MAX_BATCH_BYTES) {
                all = false;
                break;
            }
            chunks.add(new TaskCall.Chunk(c.seq(), c.stream(), c.data()));
            bytes += c.data().length;
        }
        rewound = false;
        sending = true;
        return new Batch(from, oldest, chunks, all ? result : null);
    }

    /**
     * Sends the result, and output not sent yet, on the calling thread (the task's, right after it
     * ended) when no call is under way: the answer, which may carry the next task, then needs no
     * hand-off to the sender thread. Does nothing otherwise; a failed call is left to the sender
     * thread, which tries again.
     */
    void sendNow() {
        Batch b;
        synchronized (this) {
            if (sending || stopped || idle()) {
                return;
            }
            b = batch();
        }
        try {
            deliver(b);
        } catch (IOException e) {
            // The sender thread tries again, with backoff.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send() {
        int failures = 0;
        while (true) {
            Batch b;
            synchronized (this) {
                while ((idle() || sending) && !stopped) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopped) {
                    return;
                }
                // Output of a short process and its result then travel in one call: a few
                // milliseconds of delay on live output save a round trip per step.
                long lingerEnd = System.nanoTime() + LINGER_NANOS;
                while (result == null && unackedBytes < MAX_BATCH_BYTES && !stopped && !sending) {
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
                if (stopped) {
                    return;
                }
                if (sending || idle()) {
                    continue; // the task's thread sent it meanwhile
                }
                b = batch();
            }
            try {
                if (deliver(b)) {
                    return;
                }
                failures = 0;
            } catch (AgentHttp.Status s) {
                if (!backOff(failures++)) {
                    return;
                }
            } catch (IOException e) {
                if (failures == 0) {
                    agent.unreachable(e);
                }
                if (!backOff(failures++)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Makes one call with {@code b} and takes in its answer (and the work it may carry).
     *
     * @return true when the task is done with: its result was taken and it is forgotten, or the
     *     controller does not have it (stopped and forgotten)
     * @throws IOException a failure to try again (an error status other than 404 and 401 as {@link AgentHttp.Status})
     */
    private boolean deliver(Batch b) throws IOException, InterruptedException {
        try {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("seq", b.from());
            header.put("first", b.first());
            header.put("result", b.result());
            String path = "tasks/" + taskId + "/events";
            if (b.result() != null) {
                // The answer may carry the next task: it names the tasks this agent has, as a poll does.
                header.put("known", agent.known());
                path += "?wait=" + NEXT_TASK_WAIT_MILLIS;
            }
            Map<String, Object> answer;
            try {
                answer = agent.postEvents(path, EventFrames.encode(header, b.chunks()), Duration.ofSeconds(60));
            } catch (AgentHttp.Status s) {
                if (s.status == 404 || s.status == 401) {
                    // The controller does not have the task (any more): stop it, drop its output.
                    close();
                    agent.gone(taskId);
                    return true;
                }
                throw s;
            }
            long ack = ((Number) answer.get("ack")).longValue();
            boolean keep = Boolean.TRUE.equals(answer.get("keep"));
            boolean forget = false;
            synchronized (this) {
                if (!rewound) {
                    // Below what was sent: a controller that re-attached wants the chunks again from there.
                    acked = Math.min(Math.max(ack, oldest), nextSeq);
                    // From the newest back: the chunks are in sequence order, and most are acknowledged.
                    unackedBytes = 0;
                    for (java.util.Iterator<Chunk> it = kept.descendingIterator(); it.hasNext(); ) {
                        Chunk c = it.next();
                        if (c.seq() < acked) {
                            break;
                        }
                        unackedBytes += c.data().length;
                    }
                    if (b.result() != null && ack >= ((Number) b.result().get("seqEnd")).longValue()) {
                        resultTaken = true;
                        forget = !keep;
                    }
                    trim();
                }
            }
            if (forget) {
                close();
                agent.reported(taskId);
            }
            if (answer.containsKey("tasks") || answer.containsKey("cancel") || answer.containsKey("reattach")) {
                agent.work(answer);
            }
            return forget;
        } finally {
            synchronized (this) {
                sending = false;
                notifyAll();
            }
        }
    }

    /** Waits before trying again (exponential, with jitter); a {@link #rewind()} ends the wait early. */
    private synchronized boolean backOff(int failures) {
        long cap = Math.min(agent.maxBackoffMillis(), 250L << Math.min(failures, 16));
        long end = System.nanoTime() + (cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1)) * 1_000_000;
        try {
            while (!stopped && !rewound) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return !stopped;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
