package dev.gantry.engine.agent;

import dev.gantry.api.step.NodeLostException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A task sent to a node, on the controller: where its log, input and output go, and its result
 * once it comes. Log chunks carry sequence numbers; a chunk seen before (a retry after a network
 * fault) is dropped, so the log has each byte once and in order. The first result wins.
 * Thread-safe.
 */
final class TaskCall {
    /** Where a transfer of the task's input or output stands; an INTERRUPTED upload may be resumed. */
    enum Transfer { NONE, RUNNING, INTERRUPTED, DONE }

    final Task task;
    final String job;
    final int number;
    private final OutputStream out;
    private final OutputStream err;
    private final InputStream input;
    private final OutputStream output;
    private final CompletableFuture<Object> result = new CompletableFuture<>();
    private final CompletableFuture<Void> outputOpened = new CompletableFuture<>();
    private long nextSeq;
    private Transfer inputState = Transfer.NONE;
    private Transfer outputState = Transfer.NONE;
    private ReplayingSource inputSource;
    private long received;
    private volatile boolean cancelRequested;
    private volatile AgentChannel channel;
    /** The step call that launched this task, when the agent keeps it for re-attaching (see {@link #retain}). */
    private volatile dev.gantry.engine.run.RunningStep step;
    private volatile boolean retained;
    /** Handed to the agent by this controller (not one it had from before a restart). */
    private volatile boolean delivered;
    /** Handed to an agent before the controller restarted: re-attached only, never handed out again. */
    private volatile boolean reattachOnly;
    /** The agent sent events for it to this controller. */
    private volatile boolean heard;
    private long reattachAskedNanos;

    /**
     * @param out the log stream {@code out}, or null to drop it
     * @param err the log stream {@code err}, or null to send it to {@code out}
     * @param input what the task reads ({@link TaskIo#input()}), or null
     * @param output where what the task sends goes ({@link TaskIo#output()}), or null
     */
    TaskCall(Task task, String job, int number, OutputStream out, OutputStream err, InputStream input, OutputStream output) {
        this.task = task;
        this.job = job;
        this.number = number;
        this.out = out;
        this.err = err;
        this.input = input;
        this.output = output;
    }

    String id() {
        return task.id();
    }

    void channel(AgentChannel c) {
        this.channel = c;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    /**
     * Marks the task as one the agent keeps (its state, output and result) until the controller
     * releases it, once {@code launchedBy}'s outcome is journaled: a controller that restarts
     * before that re-attaches to it by its deterministic id.
     *
     * @param launchedBy the step call, whose suspension leaves the task running; null for none
     */
    void retain(dev.gantry.engine.run.RunningStep launchedBy) {
        this.step = launchedBy;
        this.retained = true;
    }

    boolean retained() {
        return retained;
    }

    /** Whether the build is being suspended for a shutdown: the task is left to run, not cancelled. */
    boolean detached() {
        dev.gantry.engine.run.RunningStep s = step;
        return s != null && s.suspended();
    }

    void delivered() {
        delivered = true;
    }

    /**
     * Marks the task handed to agent {@code node} (its process {@code instance}), journaling that
     * first when a step call launched it ({@link dev.gantry.engine.run.RunningStep#launched}), so
     * that a controller restarting from now on re-attaches to it instead of starting it again.
     *
     * @return false when the journal could not be written: the task failed with the reason and must not be handed out
     */
    boolean delivered(String node, String instance) {
        dev.gantry.engine.run.RunningStep s = step;
        if (!delivered && retained && s != null) {
            try {
                s.launched(task.id(), node, instance);
            } catch (RuntimeException e) {
                fail(e);
                return false;
            }
        }
        delivered = true;
        return true;
    }

    /** Marks a task handed out before the controller restarted: the agent has it or it is lost, it is never handed out again. */
    void reattachOnly() {
        reattachOnly = true;
    }

    boolean isReattachOnly() {
        return reattachOnly;
    }

    boolean wasDelivered() {
        return delivered;
    }

    /**
     * Whether to ask the agent to report this task again from its start: an agent that has the
     * task from before a restart (it names it as known, yet this controller never handed it out)
     * and has not sent anything for it yet; asked again every few seconds until it does.
     */
    synchronized boolean reattachDue(long nowNanos) {
        if (delivered || heard || done()) {
            return false;
        }
        if (reattachAskedNanos != 0 && nowNanos - reattachAskedNanos < 3_000_000_000L) {
            return false;
        }
        reattachAskedNanos = nowNanos;
        return true;
    }

    boolean done() {
        return result.isDone();
    }

    /** Asks the node to stop the task; its result still comes (a killed process's exit code). */
    void cancel() {
        cancelRequested = true;
        AgentChannel c = channel;
        if (c != null && !result.isDone()) {
            c.cancel(this);
        }
    }

    /** One log chunk as the agent sent it. */
    record Chunk(long seq, String stream, byte[] data) {
        @SuppressWarnings("unchecked")
        static List<Chunk> fromJson(Object chunks) {
            if (!(chunks instanceof List<?> l)) {
                return List.of();
            }
            return ((List<Map<String, Object>>) l).stream()
                    .map(m -> new Chunk(((Number) m.get("seq")).longValue(), String.valueOf(m.get("stream")),
                            Base64.getDecoder().decode(String.valueOf(m.get("data")))))
                    .toList();
        }
    }

    /**
     * Writes the chunks not seen yet, in order.
     *
     * @param first the oldest chunk the agent still has: when it is beyond the next one expected
     *     (the agent dropped output it kept for re-attaching, past its limit), the log says so and
     *     goes on from there
     * @return the next sequence number expected; a chunk beyond it (a gap) is not written
     */
    synchronized long log(List<Chunk> chunks, long first) {
        heard = true;
        if (first > nextSeq) {
            byte[] note = ("[the agent no longer had the first " + first + " chunks of this output (it keeps "
                    + (TaskReporter.MAX_KEPT >> 20) + " MiB for re-attaching after a controller restart); some lines are missing here]\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            write(AgentProtocol.OUT, note, 0, note.length);
            nextSeq = first;
        }
        for (Chunk c : chunks) {
            if (c.seq() != nextSeq) {
                if (c.seq() > nextSeq) {
                    break;
                }
                continue;
            }
            write(c.stream(), c.data(), 0, c.data().length);
            nextSeq++;
        }
        return nextSeq;
    }

    /** Writes log output directly (the in-process transport). */
    synchronized void write(String stream, byte[] b, int off, int len) {
        OutputStream target = AgentProtocol.ERR.equals(stream) && err != null ? err : out;
        if (target == null || len == 0) {
            return;
        }
        try {
            target.write(b, off, len);
            target.flush();
        } catch (IOException e) {
            // The step's console is gone (the step ended): nothing is left to show the output to.
        }
    }

    /** Completes with a result as the wire carries it: {@code {"value": ...}} or {@code {"error": {...}}}. */
    void complete(Map<?, ?> resultJson) {
        if (resultJson.get("error") instanceof Map<?, ?> error) {
            result.completeExceptionally(TaskErrors.fromJson(error));
        } else {
            result.complete(resultJson.get("value"));
        }
    }

    void completeValue(Object value) {
        result.complete(value);
    }

    void fail(Throwable e) {
        result.completeExceptionally(e);
        outputOpened.completeExceptionally(e);
    }

    /** Claims the input for one transfer; null when there is none or it was taken already. */
    synchronized InputStream takeInput() {
        if (input == null || inputState != Transfer.NONE) {
            return null;
        }
        inputState = Transfer.RUNNING;
        return input;
    }

    synchronized void inputDone() {
        inputState = Transfer.DONE;
    }

    /**
     * The input as agents fetch it over HTTP: readable again from a recent offset after a
     * dropped connection. Null when the task has no input.
     */
    synchronized ReplayingSource inputSource() {
        if (input == null) {
            return null;
        }
        if (inputSource == null) {
            inputSource = new ReplayingSource(input, ReplayingSource.DEFAULT_CAPACITY);
            inputState = Transfer.RUNNING;
        }
        return inputSource;
    }

    /** Why an upload cannot start (or resume) at an offset; the status and code for the agent. */
    static final class UploadRefused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        UploadRefused(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /**
     * Claims the output for an upload starting at {@code offset}: 0 for the first, the bytes
     * received so far to resume an interrupted one.
     *
     * @return the destination, or null when the upload finished already (a retry of a finished upload)
     * @throws UploadRefused when there is no output, an upload is running, or the offset is not the one to resume at
     */
    synchronized OutputStream claimOutput(long offset) throws UploadRefused {
        if (output == null) {
            throw new UploadRefused(409, "no_output", "task " + task.id() + " takes no output");
        }
        switch (outputState) {
            case DONE -> {
                return null;
            }
            case RUNNING -> throw new UploadRefused(409, "upload_running", "an upload of task " + task.id()
                    + " is still being received; ask again (GET output) once it broke off");
            default -> {
            }
        }
        if (offset != received) {
            throw new UploadRefused(409, "offset_mismatch", "the upload of task " + task.id() + " resumes at byte " + received
                    + ", not " + offset);
        }
        outputState = Transfer.RUNNING;
        outputOpened.complete(null);
        return output;
    }

    /** Counts bytes written to the destination of the running upload. */
    synchronized void received(long n) {
        received += n;
    }

    synchronized long received() {
        return received;
    }

    /** The running upload broke off: it may be resumed at {@link #received()}. */
    synchronized void outputInterrupted() {
        if (outputState == Transfer.RUNNING) {
            outputState = Transfer.INTERRUPTED;
        }
    }

    /** Claims the output for one transfer; null when there is none or it was taken already. */
    synchronized OutputStream takeOutput() {
        if (output == null || outputState != Transfer.NONE) {
            return null;
        }
        outputState = Transfer.RUNNING;
        outputOpened.complete(null);
        return output;
    }

    synchronized void outputDone() {
        outputState = Transfer.DONE;
    }

    synchronized Transfer outputState() {
        return outputState;
    }

    /** Waits until the task opened its output or ended, whichever comes first. */
    void awaitOutputOrEnd() throws IOException, InterruptedException {
        try {
            CompletableFuture.anyOf(outputOpened, result).get();
        } catch (ExecutionException e) {
            rethrow(e.getCause());
        }
    }

    /**
     * Waits for the result.
     *
     * @throws IOException the task's failure
     * @throws NodeLostException when the node went offline meanwhile
     * @throws InterruptedException when interrupted; the task is cancelled before this throws, unless
     *     the build is being suspended ({@link #detached()})
     */
    Object await() throws IOException, InterruptedException {
        try {
            return result.get();
        } catch (InterruptedException e) {
            if (!detached()) {
                cancel();
            }
            throw e;
        } catch (ExecutionException e) {
            return rethrow(e.getCause());
        }
    }

    /** Waits at most {@code millis} for the result, ignoring interrupts and failures. */
    void awaitQuietly(long millis) {
        dev.gantry.engine.workspace.Futures.awaitQuietly(result, java.time.Duration.ofMillis(millis));
    }

    private static Object rethrow(Throwable cause) throws IOException {
        if (cause instanceof IOException io) {
            throw io;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error er) {
            throw er;
        }
        throw new IOException(cause.getMessage(), cause);
    }

    @Override
    public String toString() {
        return task + " of " + job + " #" + number;
    }

    static NodeLostException nodeLost(String node) {
        return new NodeLostException(node);
    }
}
