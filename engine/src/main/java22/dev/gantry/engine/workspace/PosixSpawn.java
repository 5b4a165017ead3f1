package dev.gantry.engine.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts processes with glibc's {@code posix_spawnp(3)} through the Foreign Function & Memory API
 * (Java 22 and newer; this is the {@code META-INF/versions/22} variant). The JDK's own launch runs
 * a helper program ({@code jspawnhelper}) that then executes the command: two program loads per
 * process where this needs one, which is most of what a short {@code sh} step costs.
 *
 * <p>The child gets: standard input from {@code /dev/null}, standard output (and standard error,
 * merged or on a pipe of its own) on pipes opened close-on-exec, every other descriptor closed,
 * no blocked signals, the given directory and environment, and the JVM's process group (as the
 * JDK's launch does). Needs Linux on x86_64 or aarch64 (the constants here are theirs) with glibc
 * 2.34 or newer (for {@code posix_spawn_file_actions_addchdir_np} and {@code _addclosefrom_np});
 * elsewhere
 * {@link #available()} is false and callers use {@link ProcessBuilder}.
 *
 * <p>Blocking calls ({@link Pipe#read}, {@link #waitFor}) pin the calling thread in native code:
 * call them on platform threads. Thread-safe.
 */
final class PosixSpawn {
    private static final int EINTR = 4;
    private static final int ECHILD = 10;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_RDONLY = 0;
    private static final int WNOHANG = 1;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** Generous upper bounds of glibc's opaque types (80, 336 and 128 bytes on x86_64 and aarch64). */
    private static final long FILE_ACTIONS_SIZE = 256;
    private static final long ATTR_SIZE = 1024;
    private static final long SIGSET_SIZE = 128;
    private static final int READ_CHUNK = 32 * 1024;

    private static final Native NATIVE = Native.load();

    private PosixSpawn() {
    }

    /** Whether this JVM and C library can launch this way. */
    static boolean available() {
        return NATIVE != null;
    }

    /**
     * Starts a process.
     *
     * @param argv the program (looked up on the JVM's {@code PATH} when it has no {@code /}) and
     *     its arguments, each NUL-terminated
     * @param envp the whole environment as NUL-terminated {@code NAME=value} strings
     * @param dir the working directory, NUL-terminated
     * @param mergeStderr whether standard error goes to the standard output's pipe
     * @return the started process, or null when the JVM itself lacks standard descriptors (a
     *     pipe would get number 0, 1 or 2, which this launch does not handle)
     * @throws SpawnException with the C library's error code when the program cannot be started:
     *     missing, not executable, not a program ({@code ENOEXEC}: a file without {@code #!}, which
     *     the JDK would run with {@code /bin/sh}), the directory missing
     * @throws IllegalStateException when {@link #available()} is false
     */
    static Spawned spawn(byte[][] argv, byte[][] envp, byte[] dir, boolean mergeStderr) throws SpawnException {
        Native n = requireNative();
        // One native block for everything, sliced: an allocation per environment string would
        // cost more than the launch itself in a cold JVM.
        long size = FILE_ACTIONS_SIZE + n.callState.byteSize() + 5 * 4 + 8 * (argv.length + envp.length + 2L)
                + dir.length + 64;
        for (byte[] a : argv) {
            size += a.length;
        }
        for (byte[] e : envp) {
            size += e.length;
        }
        try (Arena arena = Arena.ofConfined()) {
            SegmentAllocator alloc = SegmentAllocator.slicingAllocator(arena.allocate(size, 16));
            MemorySegment actions = alloc.allocate(FILE_ACTIONS_SIZE, 16);
            MemorySegment errno = alloc.allocate(n.callState);
            MemorySegment fds = alloc.allocate(ValueLayout.JAVA_INT, 4);
            int outRead;
            int outWrite;
            int errRead = -1;
            int errWrite = -1;
            n.pipe(errno, fds, 0);
            outRead = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            outWrite = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            boolean spawned = false;
            try {
                if (!mergeStderr) {
                    n.pipe(errno, fds, 2);
                    errRead = fds.getAtIndex(ValueLayout.JAVA_INT, 2);
                    errWrite = fds.getAtIndex(ValueLayout.JAVA_INT, 3);
                }
                if (outRead <= 2 || outWrite <= 2 || (!mergeStderr && (errRead <= 2 || errWrite <= 2))) {
                    // The JVM runs without standard descriptors: dup2 onto an equal number would
                    // keep close-on-exec. Rare enough to leave to the JDK.
                    return null;
                }
                n.check("posix_spawn_file_actions_init", (int) n.actionsInit.invokeExact(actions));
                try {
                    n.check("posix_spawn_file_actions_addopen", (int) n.addOpen.invokeExact(actions, 0,
                            n.devNull, O_RDONLY, 0));
                    n.check("posix_spawn_file_actions_adddup2", (int) n.addDup2.invokeExact(actions, outWrite, 1));
                    n.check("posix_spawn_file_actions_adddup2", (int) n.addDup2.invokeExact(actions,
                            mergeStderr ? outWrite : errWrite, 2));
                    n.check("posix_spawn_file_actions_addchdir_np", (int) n.addChdir.invokeExact(actions,
                            alloc.allocateFrom(ValueLayout.JAVA_BYTE, dir)));
                    n.check("posix_spawn_file_actions_addclosefrom_np", (int) n.addCloseFrom.invokeExact(actions, 3));
                    MemorySegment argvArray = stringArray(alloc, argv);
                    MemorySegment envpArray = stringArray(alloc, envp);
                    MemorySegment pid = alloc.allocate(ValueLayout.JAVA_INT);
                    int rc = (int) n.spawnp.invokeExact(pid, argvArray.getAtIndex(ValueLayout.ADDRESS, 0),
                            actions, n.attributes, argvArray, envpArray);
                    if (rc != 0) {
                        throw new SpawnException(rc, n.describe(rc));
                    }
                    spawned = true;
                    return new Spawned(pid.get(ValueLayout.JAVA_INT, 0), new Pipe(outRead),
                            mergeStderr ? null : new Pipe(errRead));
                } finally {
                    int ignored = (int) n.actionsDestroy.invokeExact(actions);
                }
            } finally {
                n.closeQuietly(errno, outWrite);
                n.closeQuietly(errno, errWrite);
                if (!spawned) {
                    n.closeQuietly(errno, outRead);
                    n.closeQuietly(errno, errRead);
                }
            }
        } catch (SpawnException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("posix_spawn call failed", t);
        }
    }

    /**
     * Waits for the child {@code pid} to exit and reaps it. Blocks the calling (platform) thread;
     * retries when a signal interrupts the wait.
     *
     * @return the exit code, or 128 plus the signal number when a signal ended it (as
     *     {@link Process#waitFor()}); -1 when {@code pid} is no child of this JVM (already reaped)
     */
    static int waitFor(int pid) {
        Native n = requireNative();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(n.callState);
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            while (true) {
                int rc = (int) n.waitpid.invokeExact(errno, pid, status, 0);
                if (rc >= 0) {
                    int s = status.get(ValueLayout.JAVA_INT, 0);
                    int signal = s & 0x7f;
                    return signal == 0 ? (s >> 8) & 0xff : 0x80 + signal;
                }
                int e = n.errno(errno);
                if (e == ECHILD) {
                    return -1;
                }
                if (e != EINTR) {
                    throw new IllegalStateException("waitpid(" + pid + ") failed: " + n.describe(e));
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("waitpid call failed", t);
        }
    }

    private static Native requireNative() {
        if (NATIVE == null) {
            throw new IllegalStateException("posix_spawn is not available in this JVM");
        }
        return NATIVE;
    }

    private static MemorySegment stringArray(SegmentAllocator alloc, byte[][] strings) {
        MemorySegment array = alloc.allocate(ValueLayout.ADDRESS, strings.length + 1L);
        for (int i = 0; i < strings.length; i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, alloc.allocateFrom(ValueLayout.JAVA_BYTE, strings[i]));
        }
        array.setAtIndex(ValueLayout.ADDRESS, strings.length, MemorySegment.NULL);
        return array;
    }

    /**
     * The read end of a child's output pipe. Reads block in native code (use a platform thread);
     * one reader at a time, which also closes it once done (closing a descriptor another thread
     * still reads from would let a new file reuse its number). Closing twice is harmless.
     */
    static final class Pipe extends InputStream {
        /**
         * A native buffer and errno slot per reading thread, kept while the thread lives (pooled
         * pump threads read one process after another) and freed with it by the garbage collector.
         */
        private static final ThreadLocal<MemorySegment[]> BUFFERS = ThreadLocal.withInitial(() -> {
            Arena arena = Arena.ofAuto();
            return new MemorySegment[] {arena.allocate(READ_CHUNK), arena.allocate(NATIVE.callState)};
        });

        private final int fd;
        private final AtomicBoolean closed = new AtomicBoolean();

        Pipe(int fd) {
            this.fd = fd;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (closed.get()) {
                throw new IOException("Stream closed");
            }
            Native n = NATIVE;
            MemorySegment[] buffers = BUFFERS.get();
            MemorySegment buffer = buffers[0];
            MemorySegment errno = buffers[1];
            try {
                while (true) {
                    long got = (long) n.read.invokeExact(errno, fd, buffer, (long) Math.min(len, READ_CHUNK));
                    if (got > 0) {
                        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, b, off, (int) got);
                        return (int) got;
                    }
                    if (got == 0) {
                        return -1;
                    }
                    int e = n.errno(errno);
                    if (e != EINTR) {
                        throw new IOException("Cannot read the process's output: " + n.describe(e));
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("read call failed", t);
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                NATIVE.closeQuietly(BUFFERS.get()[1], fd);
            }
        }
    }

    /** The C library's functions, looked up once; null from {@link #load()} when any is missing. */
    private static final class Native {
        final StructLayout callState = Linker.Option.captureStateLayout();
        final VarHandle errnoHandle = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        final MethodHandle pipe2;
        final MethodHandle close;
        final MethodHandle read;
        final MethodHandle waitpid;
        private final MethodHandle strerror;
        final MethodHandle actionsInit;
        final MethodHandle actionsDestroy;
        final MethodHandle addOpen;
        final MethodHandle addDup2;
        final MethodHandle addChdir;
        final MethodHandle addCloseFrom;
        final MethodHandle spawnp;
        /** Spawn attributes shared by every launch (read-only for posix_spawn): no blocked signals. */
        final MemorySegment attributes;
        final MemorySegment devNull;

        private Native(Linker linker, SymbolLookup libc) throws Throwable {
            Linker.Option errnoOption = Linker.Option.captureCallState("errno");
            ValueLayout i32 = ValueLayout.JAVA_INT;
            ValueLayout ptr = ValueLayout.ADDRESS;
            pipe2 = linker.downcallHandle(find(libc, "pipe2"), FunctionDescriptor.of(i32, ptr, i32), errnoOption);
            close = linker.downcallHandle(find(libc, "close"), FunctionDescriptor.of(i32, i32), errnoOption);
            read = linker.downcallHandle(find(libc, "read"),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, i32, ptr, ValueLayout.JAVA_LONG), errnoOption);
            waitpid = linker.downcallHandle(find(libc, "waitpid"), FunctionDescriptor.of(i32, i32, ptr, i32),
                    errnoOption);
            strerror = linker.downcallHandle(find(libc, "strerror"), FunctionDescriptor.of(ptr, i32));
            actionsInit = linker.downcallHandle(find(libc, "posix_spawn_file_actions_init"),
                    FunctionDescriptor.of(i32, ptr));
            actionsDestroy = linker.downcallHandle(find(libc, "posix_spawn_file_actions_destroy"),
                    FunctionDescriptor.of(i32, ptr));
            addOpen = linker.downcallHandle(find(libc, "posix_spawn_file_actions_addopen"),
                    FunctionDescriptor.of(i32, ptr, i32, ptr, i32, i32));
            addDup2 = linker.downcallHandle(find(libc, "posix_spawn_file_actions_adddup2"),
                    FunctionDescriptor.of(i32, ptr, i32, i32));
            addChdir = linker.downcallHandle(find(libc, "posix_spawn_file_actions_addchdir_np"),
                    FunctionDescriptor.of(i32, ptr, ptr));
            addCloseFrom = linker.downcallHandle(find(libc, "posix_spawn_file_actions_addclosefrom_np"),
                    FunctionDescriptor.of(i32, ptr, i32));
            spawnp = linker.downcallHandle(find(libc, "posix_spawnp"),
                    FunctionDescriptor.of(i32, ptr, ptr, ptr, ptr, ptr, ptr));
            MethodHandle attrInit = linker.downcallHandle(find(libc, "posix_spawnattr_init"),
                    FunctionDescriptor.of(i32, ptr));
            MethodHandle setFlags = linker.downcallHandle(find(libc, "posix_spawnattr_setflags"),
                    FunctionDescriptor.of(i32, ptr, ValueLayout.JAVA_SHORT));
            MethodHandle setSigmask = linker.downcallHandle(find(libc, "posix_spawnattr_setsigmask"),
                    FunctionDescriptor.of(i32, ptr, ptr));
            Arena global = Arena.global();
            attributes = global.allocate(ATTR_SIZE, 16);
            MemorySegment emptySet = global.allocate(SIGSET_SIZE, 16);
            check("posix_spawnattr_init", (int) attrInit.invokeExact(attributes));
            // Java threads block some signals (SIGQUIT); a child must not inherit that.
            check("posix_spawnattr_setsigmask", (int) setSigmask.invokeExact(attributes, emptySet));
            check("posix_spawnattr_setflags", (int) setFlags.invokeExact(attributes, POSIX_SPAWN_SETSIGMASK));
            devNull = global.allocateFrom("/dev/null");
            exercise();
        }

        /**
         * Calls each function once without starting anything, so that their call paths are
         * linked before the first launch: when this loads in the background (see
         * {@link LocalProcess#prepare()}) that work is off the first step's path.
         */
        private void exercise() throws Throwable {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(callState);
                MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
                MemorySegment buffer = arena.allocate(16);
                if ((int) pipe2.invokeExact(state, fds, O_CLOEXEC) == 0) {
                    int readEnd = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
                    // Zero bytes: returns at once.
                    long ignored = (long) read.invokeExact(state, readEnd, buffer, 0L);
                    closeQuietly(state, readEnd);
                    closeQuietly(state, fds.getAtIndex(ValueLayout.JAVA_INT, 1));
                }
                // No process has this id (ids stay below 2^22): fails with ECHILD, reaps nothing.
                int none = (int) waitpid.invokeExact(state, Integer.MAX_VALUE, buffer, WNOHANG);
                MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 16);
                if ((int) actionsInit.invokeExact(actions) == 0) {
                    int rc = (int) addOpen.invokeExact(actions, 0, devNull, O_RDONLY, 0);
                    rc = (int) addDup2.invokeExact(actions, 1, 2);
                    rc = (int) addChdir.invokeExact(actions, devNull);
                    rc = (int) addCloseFrom.invokeExact(actions, 3);
                    rc = (int) actionsDestroy.invokeExact(actions);
                }
            }
        }

        static Native load() {
            String os = System.getProperty("os.name", "");
            String arch = System.getProperty("os.arch", "");
            // The constants above (O_CLOEXEC, flags, errno values) are those of Linux on these.
            if (!os.equals("Linux") || !(arch.equals("amd64") || arch.equals("aarch64"))
                    || "jdk".equals(System.getProperty("gantry.launcher"))) {
                return null;
            }
            try {
                Linker linker = Linker.nativeLinker();
                return new Native(linker, linker.defaultLookup());
            } catch (Throwable t) {
                // A missing symbol (musl, glibc before 2.34) or native access denied to this
                // module: the JDK's launch is used instead.
                return null;
            }
        }

        private static MemorySegment find(SymbolLookup libc, String name) {
            return libc.find(name).orElseThrow(() -> new IllegalStateException("no " + name + " in the C library"));
        }

        void pipe(MemorySegment errno, MemorySegment fds, int index) throws Throwable {
            int rc = (int) pipe2.invokeExact(errno, fds.asSlice(index * 4L, 8), O_CLOEXEC);
            if (rc != 0) {
                int e = errno(errno);
                throw new SpawnException(e, describe(e));
            }
        }

        void closeQuietly(MemorySegment errno, int fd) {
            if (fd < 0) {
                return;
            }
            try {
                // Never retried on EINTR: Linux closes the descriptor even then.
                int ignored = (int) close.invokeExact(errno, fd);
            } catch (Throwable t) {
                throw new IllegalStateException("close call failed", t);
            }
        }

        void check(String function, int rc) throws SpawnException {
            if (rc != 0) {
                throw new SpawnException(rc, function + ": " + describe(rc));
            }
        }

        int errno(MemorySegment state) {
            return (int) errnoHandle.get(state, 0L);
        }

        /** {@code error=2, No such file or directory}, as the JDK words a failed launch. */
        String describe(int code) {
            String text;
            try {
                MemorySegment s = (MemorySegment) strerror.invokeExact(code);
                text = s.equals(MemorySegment.NULL) ? "" : s.reinterpret(4096)
                        .getString(0, Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"), Charset.defaultCharset()));
            } catch (Throwable t) {
                text = "";
            }
            return String.format(Locale.ROOT, "error=%d, %s", code, text.isEmpty() ? "Unknown error " + code : text);
        }
    }
}
