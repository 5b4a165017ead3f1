package dev.gantry.engine.server;

import dev.gantry.engine.run.LogSink;
import dev.gantry.engine.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real store on disk for the log benchmarks, and a build's log in it (the controller's
 * {@link BuildLog}, opened as a build opens it), a new build per JMH iteration so that the file
 * does not grow without bound.
 */
public final class LogBench implements AutoCloseable {
    private final Path home;
    private final Store store;
    private BuildLog log;

    public LogBench() throws Exception {
        home = Files.createTempDirectory("gantry-jmh-log-");
        store = Store.open(home);
        store.jobs().save("bench", "pipeline { }", 0L);
    }

    /** {@code n} lines of 80 bytes (newline included), as a compiler prints them. */
    public static byte[] lines(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%-79s\n", "[INFO] Compiling 42 source files to /work/target/classes, line " + i));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Closes the previous build's log, if any, and opens the log of a new build. */
    public LogSink newBuildLog() throws IOException {
        closeBuildLog();
        int build = store.builds().create("bench", Map.of(), "benchmark").number();
        log = BuildLog.open(store.logs(), "bench", build, () -> { }, message -> {
            throw new IllegalStateException(message);
        });
        return log;
    }

    public void closeBuildLog() {
        if (log != null) {
            log.close();
            log = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeBuildLog();
        store.close();
        try (Stream<Path> walk = Files.walk(home)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
