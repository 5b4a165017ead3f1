package dev.gantry.engine.workspace;

import dev.gantry.api.workspace.ProcessSpec;
import dev.gantry.api.workspace.RunningProcess;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process started on this machine for a step: exactly the given environment, standard input
 * empty, and its output copied to the caller's streams in chunks by virtual threads (never held
 * whole, so gigabytes stream through). Killing it kills its whole process tree. Thread-safe.
 *
 * <p>Output streams: they are written and flushed, never closed. When both {@code stdout} and
 * {@code stderr} are given they are written concurrently by two threads, so they must be safe
 * for that if they are the same object. A process that leaves a background child holding its
 * output open keeps {@link #waitFor()} waiting until that child closes it, as the output is not
 * complete before; redirect such a child's output ({@code cmd > log 2>&1 &}).
 */
public final class LocalProcess implements RunningProcess {
    /** How long killed processes get to exit after SIGTERM before SIGKILL. */
    static final Duration KILL_GRACE = Duration.ofSeconds(2);
    /** How long to wait for output pumps once the process was killed. */
    private static final Duration PUMP_GRACE_AFTER_KILL = Duration.ofSeconds(5);
    private static final int CHUNK = 32 * 1024;
    private static final File NULL_FILE = new File(File.separatorChar == '/' ? "/dev/null" : "NUL");

    private final Process process;
    private final Thread stdoutPump;
    private final Thread stderrPump;
    private volatile IOException outputFailure;

    private LocalProcess(Process process, OutputStream stdout, OutputStream stderr) {
        this.process = process;
        this.stdoutPump = Thread.ofVirtual().name("gantry-stdout-" + process.pid())
                .start(() -> pump(process.getInputStream(), stdout));
        this.stderrPump = stderr == null ? null : Thread.ofVirtual().name("gantry-stderr-" + process.pid())
                .start(() -> pump(process.getErrorStream(), stderr));
    }

    /**
     * Starts {@code spec} in {@code workingDir} (which must exist).
     *
     * @throws IOException naming the program and directory when it cannot be started
     */
    public static LocalProcess start(ProcessSpec spec, Path workingDir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(spec.command()).directory(workingDir.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(spec.environment());
        pb.redirectInput(ProcessBuilder.Redirect.from(NULL_FILE));
        pb.redirectErrorStream(spec.stderr() == null);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("Cannot run " + spec.command().getFirst() + " in " + workingDir + ": "
                    + e.getMessage(), e);
        }
        return new LocalProcess(p, spec.stdout(), spec.stderr());
    }

    /** The operating system's id of the process. */
    public long pid() {
        return process.pid();
    }

    /** The process as a handle, for looking at its tree. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * The first error writing to the caller's output stream, or null. After such an error the
     * process's remaining output is read and dropped so that the process does not block.
     */
    public IOException outputFailure() {
        return outputFailure;
    }

    /**
     * {@inheritDoc} Returns once the process exited and all of its output was written to the
     * caller's streams and flushed. When interrupted, kills the process tree (see {@link #kill()}),
     * waits a few seconds at most for the output, and throws.
     */
    @Override
    public int waitFor() throws InterruptedException {
        try {
            int code = process.waitFor();
            stdoutPump.join();
            if (stderrPump != null) {
                stderrPump.join();
            }
            return code;
        } catch (InterruptedException e) {
            kill();
            joinQuietly(stdoutPump);
            joinQuietly(stderrPump);
            throw e;
        }
    }

    /**
     * {@inheritDoc} Sends SIGTERM to the process and every descendant found before it died, waits
     * up to {@link #KILL_GRACE} for them to exit, then sends SIGKILL to whatever is left (with any
     * descendants started meanwhile). Blocks until then; an interrupt cuts the grace short (the
     * thread's interrupt status is kept).
     */
    @Override
    public void kill() {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        for (ProcessHandle h : tree) {
            h.destroy();
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + KILL_GRACE.toNanos();
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || interrupted) {
                break;
            }
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (TimeoutException | ExecutionException e) {
                break;
            }
        }
        // Parents before their children: a shell whose child dies first could otherwise go on
        // running its script in the moment before its own SIGKILL.
        List<ProcessHandle> left = new ArrayList<>();
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                left.add(h);
                h.descendants().forEach(left::add);
            }
        }
        for (ProcessHandle h : left) {
            h.destroyForcibly();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void pump(InputStream in, OutputStream out) {
        byte[] buf = new byte[CHUNK];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0 && outputFailure == null) {
                    try {
                        out.write(buf, 0, n);
                        out.flush();
                    } catch (IOException e) {
                        outputFailure = e;
                    }
                }
            }
        } catch (IOException e) {
            // The pipe broke (the process was killed): nothing more to copy.
        }
    }

    private static void joinQuietly(Thread t) {
        if (t == null) {
            return;
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + PUMP_GRACE_AFTER_KILL.toNanos();
        while (t.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "process " + process.pid();
    }
}
