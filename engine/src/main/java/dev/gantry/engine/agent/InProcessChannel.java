package dev.gantry.engine.agent;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in agent's transport: each task runs on a virtual thread of the controller through
 * the same {@link TaskRunner} a remote agent uses, with its I/O wired straight to the call.
 */
final class InProcessChannel implements AgentChannel {
    private final TaskRunner runner;
    private final Map<String, TaskRunner.Running> running = new ConcurrentHashMap<>();

    InProcessChannel(TaskRunner runner) {
        this.runner = runner;
    }

    @Override
    public void submit(TaskCall call) {
        TaskRunner.Running r = new TaskRunner.Running(call.task);
        running.put(call.id(), r);
        Thread.ofVirtual().name("task-" + call.id()).start(() -> {
            try {
                call.completeValue(runner.run(r, io(call)));
            } catch (Exception e) {
                call.complete(Map.of("error", TaskErrors.toJson(e)));
            } finally {
                running.remove(call.id());
            }
        });
    }

    @Override
    public void cancel(TaskCall call) {
        TaskRunner.Running r = running.get(call.id());
        if (r != null) {
            r.cancel();
        }
    }

    private static TaskIo io(TaskCall call) {
        return new TaskIo() {
            @Override
            public OutputStream log(String stream) {
                return new OutputStream() {
                    @Override
                    public void write(int b) {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        call.write(stream, b, off, len);
                    }
                };
            }

            @Override
            public InputStream input() throws IOException {
                InputStream in = call.takeInput();
                if (in == null) {
                    throw new IOException(call.task + " has no input, or it was read already");
                }
                return new java.io.FilterInputStream(in) {
                    @Override
                    public void close() {
                        call.inputDone();
                    }
                };
            }

            @Override
            public OutputStream output() throws IOException {
                OutputStream out = call.takeOutput();
                if (out == null) {
                    throw new IOException(call.task + " has no output, or it was written already");
                }
                return new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush();
                        call.outputDone();
                    }
                };
            }
        };
    }
}
