package dev.gantry.engine.workspace;

/**
 * Launching through {@code posix_spawn(3)} needs the Foreign Function & Memory API, final from
 * Java 22: the jar carries that implementation under {@code META-INF/versions/22}. This is the
 * Java 21 variant, where it is never available and {@link LocalProcess} uses
 * {@link ProcessBuilder}. Both variants have the same methods and contracts.
 */
final class PosixSpawn {
    private PosixSpawn() {
    }

    /** Whether this JVM and C library can launch this way: never on Java 21. */
    static boolean available() {
        return false;
    }

    /**
     * Starts a process (see the Java 22 variant for the contract).
     *
     * @throws IllegalStateException always: {@link #available()} is false
     */
    static Spawned spawn(byte[][] argv, byte[][] envp, byte[] dir, boolean mergeStderr) throws SpawnException {
        throw new IllegalStateException("posix_spawn is not available in this JVM");
    }

    /**
     * Waits for a child process and reaps it (see the Java 22 variant for the contract).
     *
     * @throws IllegalStateException always: {@link #available()} is false
     */
    static int waitFor(int pid) {
        throw new IllegalStateException("posix_spawn is not available in this JVM");
    }
}
