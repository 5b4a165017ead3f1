package dev.gantry.engine.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The agent's side of a task's streamed input and output, resumed after a dropped connection:
 * a download asks again from the byte it got to ({@code Range: bytes=N-}); an upload asks the
 * controller how much arrived ({@code GET tasks/{id}/output}) and sends again from there
 * ({@code Content-Range: bytes N-*}{@code /*}), replaying the bytes it keeps for that. A transfer
 * gives up after {@link #ATTEMPTS} tries in a row without progress. Thread-safe.
 */
final class AgentTransfers {
    /** Tries per transfer without progress before it fails. */
    static final int ATTEMPTS = 6;

    /** The session of the agent now, waiting while it reconnects. */
    interface Sessions {
        String await() throws InterruptedException;
    }

    private final AgentHttp http;
    private final Sessions sessions;
    private final PrintStream log;
    private final String prefix;

    AgentTransfers(AgentHttp http, Sessions sessions, String agentName, PrintStream log) {
        this.http = http;
        this.sessions = sessions;
        this.log = log;
        this.prefix = "gantry agent " + agentName + ": ";
    }

    /** The input of {@code task}, resumed where it broke off when the connection drops. */
    InputStream input(Task task) throws IOException {
        return new InputStream() {
            private InputStream current = open(0);
            private long delivered;
            private int failures;

            private InputStream open(long offset) throws IOException {
                try {
                    return http.input(task.id(), sessions.await(), offset);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while fetching the input of " + task);
                }
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (true) {
                    try {
                        int n = current.read(b, off, len);
                        if (n > 0) {
                            delivered += n;
                            failures = 0;
                        }
                        return n;
                    } catch (IOException e) {
                        if (e instanceof InterruptedIOException || Thread.currentThread().isInterrupted()) {
                            throw e;
                        }
                        closeQuietly(current);
                        failures++;
                        if (failures >= ATTEMPTS) {
                            throw new IOException("the input of " + task + " broke off at byte " + delivered + " " + failures
                                    + " times in a row; last: " + e.getMessage(), e);
                        }
                        log.println(prefix + "the input of " + task + " broke off at byte " + delivered + " (" + message(e)
                                + "); resuming there");
                        pause(failures);
                        current = reopen();
                    }
                }
            }

            private InputStream reopen() throws IOException {
                while (true) {
                    try {
                        return open(delivered);
                    } catch (AgentHttp.Status s) {
                        throw new IOException("the input of " + task + " cannot be resumed at byte " + delivered + ": " + s.getMessage(), s);
                    } catch (IOException e) {
                        if (e instanceof InterruptedIOException) {
                            throw e;
                        }
                        failures++;
                        if (failures >= ATTEMPTS) {
                            throw e;
                        }
                        pause(failures);
                    }
                }
            }

            @Override
            public void close() throws IOException {
                current.close();
            }
        };
    }

    /**
     * Sends {@code task}'s output to the controller while the task writes it; closing the
     * returned stream waits until the controller has all of it.
     */
    OutputStream upload(Task task) throws IOException {
        Pipe pipe = new Pipe(256 * 1024);
        ReplayingSource source = new ReplayingSource(pipe.source, ReplayingSource.DEFAULT_CAPACITY);
        IOException[] failure = new IOException[1];
        Thread sender = Thread.ofVirtual().name("upload-" + task.id()).start(() -> {
            try {
                send(task, source);
            } catch (IOException e) {
                failure[0] = e;
            } catch (InterruptedException e) {
                failure[0] = new InterruptedIOException("interrupted");
            } finally {
                pipe.closeReader();
            }
        });
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                pipe.sink.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                pipe.sink.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                pipe.sink.close();
                try {
                    sender.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while sending the output of " + task);
                }
                if (failure[0] != null) {
                    throw new IOException("sending the output of " + task + " to the controller failed: " + failure[0].getMessage(), failure[0]);
                }
            }
        };
    }

    private void send(Task task, ReplayingSource source) throws IOException, InterruptedException {
        long offset = 0;
        int failures = 0;
        while (true) {
            try {
                http.output(task.id(), sessions.await(), source.from(offset), offset);
                return;
            } catch (AgentHttp.Status s) {
                if (s.status != 409 || !"upload_running".equals(s.code)) {
                    throw s;
                }
                // The controller has not noticed the old connection broke yet: ask again shortly.
                failures++;
                if (failures >= ATTEMPTS) {
                    throw s;
                }
                pause(failures);
                offset = received(task);
            } catch (IOException e) {
                if (e instanceof InterruptedIOException) {
                    throw e;
                }
                long before = offset;
                failures++;
                if (failures >= ATTEMPTS) {
                    throw e;
                }
                pause(failures);
                offset = received(task);
                if (offset > before) {
                    failures = 0;
                }
                if (!source.canStartAt(offset)) {
                    throw new IOException("the upload broke off (" + message(e) + ") and cannot be resumed at byte " + offset
                            + ": only bytes " + source.oldest() + " to " + source.consumed() + " are kept", e);
                }
                log.println(prefix + "the output of " + task + " broke off (" + message(e) + "); resuming at byte " + offset);
            }
        }
    }

    /** How many bytes of the upload the controller has; waits while it reconnects. */
    private long received(Task task) throws IOException, InterruptedException {
        for (int i = 1; ; i++) {
            try {
                Map<String, Object> state = http.get("tasks/" + task.id() + "/output", sessions.await(), Duration.ofSeconds(30));
                return ((Number) state.get("received")).longValue();
            } catch (AgentHttp.Status s) {
                throw s;
            } catch (IOException e) {
                if (i >= ATTEMPTS) {
                    throw e;
                }
                pause(i);
            }
        }
    }

    private static void pause(int failures) throws InterruptedIOException {
        long cap = Math.min(5_000, 200L << Math.min(failures, 10));
        try {
            Thread.sleep(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to resume a transfer");
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // The connection is broken already; a new one replaces it.
        }
    }
}
