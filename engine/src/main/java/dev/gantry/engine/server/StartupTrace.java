package dev.gantry.engine.server;

/**
 * Start-up phases with the wall-clock time they ended (epoch milliseconds: the process's own start
 * time is only known to the jiffy and its boot-time base to the second), printed to standard error when
 * {@code -Dgantry.startup.trace=true}: what the "ready within a second" figure is made of, without a
 * profiler (an AOT cache loads every class at once, so a class-load trace no longer shows it).
 */
public final class StartupTrace {
    private static final boolean ON = Boolean.getBoolean("gantry.startup.trace");

    private StartupTrace() {
    }

    /**
     * Prints {@code phase} with the current epoch milliseconds and the process's CPU time so far
     * (which a busy machine distorts less than wall-clock time), if tracing is on. Thread-safe.
     */
    public static void mark(String phase) {
        if (ON) {
            long cpu = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
            System.err.println("gantry: startup " + System.currentTimeMillis() + " " + phase + " (cpu " + cpu + " ms)");
        }
    }
}
