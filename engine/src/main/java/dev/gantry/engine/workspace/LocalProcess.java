package dev.gantry.engine.workspace;

import dev.gantry.api.workspace.ProcessSpec;
import dev.gantry.api.workspace.RunningProcess;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A process started on this machine for a step: exactly the given environment, standard input
 * empty, and its output copied to the caller's streams in chunks (never held whole, so gigabytes
 * stream through). Killing it kills its whole process tree. Thread-safe.
 *
 * <p>Launch: on Java 22 and newer on Linux through {@link PosixSpawn} (one program load per
 * process instead of the JDK's two; output copied by pooled platform threads), otherwise, and
 * whenever that launch fails, through {@link ProcessBuilder} (output copied by virtual threads).
 * Both give the child the same descriptors, signal state, process group and environment (in
 * the same order), and failures are always the JDK's own, so the way taken is not observable
 * beyond its speed. {@code -Dgantry.launcher=jdk} forces the JDK's launch.
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

    private static final Charset JNU_CHARSET = Charset.forName(
            System.getProperty("sun.jnu.encoding", "UTF-8"), Charset.defaultCharset());

    private static final AtomicBoolean PREPARED = new AtomicBoolean();

    private final long pid;
    private final ProcessHandle handle;
    private final Completion completion;
    private volatile IOException outputFailure;

    /** Launched by the JDK: its reaper thread waits, virtual threads copy the output. */
    private LocalProcess(Process process, OutputStream stdout, OutputStream stderr) {
        this.pid = process.pid();
        this.handle = process.toHandle();
        Thread stdoutPump = Thread.ofVirtual().name("gantry-stdout-" + pid)
                .start(() -> pump(process.getInputStream(), stdout));
        Thread stderrPump = stderr == null ? null : Thread.ofVirtual().name("gantry-stderr-" + pid)
                .start(() -> pump(process.getErrorStream(), stderr));
        this.completion = new JdkCompletion(process, stdoutPump, stderrPump);
    }

    /**
     * Launched by {@link PosixSpawn}: a pooled platform thread copies the output (the reads block
     * in native code, which would pin a virtual thread's carrier), then reaps the process.
     */
    private LocalProcess(Spawned spawned, OutputStream stdout, OutputStream stderr) throws IOException {
        this.pid = spawned.pid();
        // The child is not reaped before its output ends, so its pid cannot be reused meanwhile.
        Optional<ProcessHandle> found = ProcessHandle.of(pid);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        NativeIo.POOL.execute(() -> {
            try {
                Future<?> stderrPump = spawned.stderr() == null ? null
                        : NativeIo.POOL.submit(() -> pump(spawned.stderr(), stderr));
                pump(spawned.stdout(), stdout);
                if (stderrPump != null) {
                    awaitUninterruptibly(stderrPump);
                }
                exit.complete(PosixSpawn.waitFor(spawned.pid()));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        });
        if (found.isEmpty()) {
            throw new IOException("Cannot follow process " + pid + ": it is not listed in /proc; is /proc mounted?");
        }
        this.handle = found.get();
        this.completion = new SpawnCompletion(exit);
    }

    /**
     * Starts loading the native launcher on a background thread, so that the first launch does
     * not wait for it (class loading and code generation, tens of milliseconds on a cold JVM).
     * For callers that know processes will be launched soon; launches work without it. Returns
     * at once; does nothing after the first call.
     */
    public static void prepare() {
        prepare(false);
    }

    /**
     * As {@link #prepare()}; with {@code launchOnce}, the background thread also starts one
     * {@code sh -c :} and waits for it, so that the launch path itself (the native calls' method
     * handles, the output pump threads, the process handle) is set up before the first step
     * launches: on a controller or agent that has just started, the first build's first
     * {@code sh} otherwise pays for it, and on a busy machine that is a large part of a short
     * build. Any failure is ignored (a real launch reports it).
     */
    public static void prepare(boolean launchOnce) {
        if (PREPARED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("gantry-launcher-init").start(() -> {
                if (PosixSpawn.available() && launchOnce) {
                    try {
                        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
                        start(new ProcessSpec(List.of("sh", "-c", ":"), System.getenv(), OutputStream.nullOutputStream(), null), dir)
                                .waitFor();
                    } catch (IOException | RuntimeException | InterruptedException e) {
                        // Only a warm-up: the first real launch does the work, and reports any failure.
                    }
                }
            });
        }
    }

    /**
     * Starts {@code spec} in {@code workingDir} (which must exist).
     *
     * @throws IOException naming the program and directory when it cannot be started
     * @throws IllegalArgumentException when an environment variable's name contains {@code =} or
     *     NUL, or a value NUL (as {@link ProcessBuilder#environment()})
     */
    public static LocalProcess start(ProcessSpec spec, Path workingDir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(spec.command()).directory(workingDir.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(spec.environment());
        if (PosixSpawn.available() && spawnable(spec.command(), workingDir)) {
            Spawned spawned = spawn(spec, workingDir, env);
            if (spawned != null) {
                return new LocalProcess(spawned, spec.stdout(), spec.stderr());
            }
        }
        pb.redirectInput(ProcessBuilder.Redirect.from(NULL_FILE));
        pb.redirectErrorStream(spec.stderr() == null);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw cannotRun(spec, workingDir, e);
        }
        return new LocalProcess(p, spec.stdout(), spec.stderr());
    }

    private static IOException cannotRun(ProcessSpec spec, Path workingDir, IOException e) {
        return new IOException("Cannot run " + spec.command().getFirst() + " in " + workingDir + ": "
                + e.getMessage(), e);
    }

    /**
     * Whether {@link PosixSpawn} starts this command as the JDK would. The JDK rejects NUL in the
     * command, and without a {@code PATH} it searches {@code :/bin:/usr/bin} where the C library
     * searches {@code /bin:/usr/bin}: such launches are left to it.
     */
    private static boolean spawnable(List<String> command, Path workingDir) {
        for (String s : command) {
            if (s.indexOf('\0') >= 0) {
                return false;
            }
        }
        return workingDir.toString().indexOf('\0') < 0
                && (command.getFirst().indexOf('/') >= 0 || System.getenv("PATH") != null);
    }

    /**
     * Null when the JDK must launch it: {@link PosixSpawn} cannot, or failed. A failed launch is
     * left to the JDK too, so that failures (their messages, which change between JDK versions,
     * and the JDK's running of a program without {@code #!} through {@code /bin/sh}) stay
     * exactly the JDK's. A failure happens before the program runs: nothing runs twice.
     */
    private static Spawned spawn(ProcessSpec spec, Path workingDir, Map<String, String> env) {
        List<String> command = spec.command();
        byte[][] argv = new byte[command.size()][];
        for (int i = 0; i < argv.length; i++) {
            argv[i] = cString(command.get(i));
        }
        // The order of ProcessBuilder's own environment map, so that a child listing its
        // environment sees the same order whichever way it was launched.
        byte[][] envp = new byte[env.size()][];
        int i = 0;
        for (Map.Entry<String, String> e : env.entrySet()) {
            envp[i++] = cString(e.getKey() + "=" + e.getValue());
        }
        try {
            return PosixSpawn.spawn(argv, envp, cString(workingDir.toFile().toString()), spec.stderr() == null);
        } catch (SpawnException e) {
            return null;
        }
    }

    private static byte[] cString(String s) {
        byte[] bytes = s.getBytes(JNU_CHARSET);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    /** The operating system's id of the process. */
    public long pid() {
        return pid;
    }

    /** The process as a handle, for looking at its tree. */
    public ProcessHandle handle() {
        return handle;
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
            return completion.await();
        } catch (InterruptedException e) {
            kill();
            completion.awaitOutputAfterKill();
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
        tree.add(handle);
        handle.descendants().forEach(tree::add);
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

    private static void awaitUninterruptibly(Future<?> f) {
        boolean interrupted = false;
        while (true) {
            try {
                f.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The end of a process and of its output, however it was launched. */
    private interface Completion {
        /** The exit code, once the process exited and all its output was written and flushed. */
        int await() throws InterruptedException;

        /** After a kill: waits a few seconds at most for the output; keeps the interrupt status. */
        void awaitOutputAfterKill();
    }

    private record JdkCompletion(Process process, Thread stdoutPump, Thread stderrPump) implements Completion {
        @Override
        public int await() throws InterruptedException {
            int code = process.waitFor();
            stdoutPump.join();
            if (stderrPump != null) {
                stderrPump.join();
            }
            return code;
        }

        @Override
        public void awaitOutputAfterKill() {
            joinQuietly(stdoutPump);
            joinQuietly(stderrPump);
        }
    }

    /** Completed by the pooled thread that copied the output and reaped the process. */
    private record SpawnCompletion(CompletableFuture<Integer> exit) implements Completion {
        @Override
        public int await() throws InterruptedException {
            try {
                return exit.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("Waiting for a process failed: " + e.getCause(), e.getCause());
            }
        }

        @Override
        public void awaitOutputAfterKill() {
            Futures.awaitQuietly(exit, PUMP_GRACE_AFTER_KILL);
        }
    }

    /** Platform threads for launches through {@link PosixSpawn}, kept for reuse a minute. */
    private static final class NativeIo {
        static final ExecutorService POOL = Executors.newCachedThreadPool(
                Thread.ofPlatform().name("gantry-process-io-", 0).daemon().factory());
    }

    @Override
    public String toString() {
        return "process " + pid;
    }
}
