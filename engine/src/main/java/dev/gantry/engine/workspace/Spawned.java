package dev.gantry.engine.workspace;

import java.io.InputStream;

/**
 * A process started by {@link PosixSpawn}: its id and the parent's read ends of its output pipes.
 * Reading the streams blocks in native code, so they are read on platform threads.
 *
 * @param pid the process id; the process is a child of this JVM, reaped by {@link PosixSpawn#waitFor}
 * @param stdout standard output (with standard error when merged)
 * @param stderr standard error, or null when merged into {@code stdout}
 */
record Spawned(int pid, InputStream stdout, InputStream stderr) {
}
