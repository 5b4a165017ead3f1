package dev.gantry.engine.store;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Child process for {@link StoreLifecycleTest}: writes a job, builds and a log, says so on stdout
 * and halts without closing anything, like kill -9 right after the last commit.
 */
public final class KilledWriter {
    private KilledWriter() {
    }

    public static void main(String[] args) throws Exception {
        Store store = Store.open(Path.of(args[0]));
        store.jobs().save("killed/job", "pipeline { }", 0L);
        BuildRepository builds = store.builds();
        builds.create("killed/job", Map.of("P", "v"), "Started by user");
        builds.markRunning("killed/job", 1, Instant.now());
        builds.complete("killed/job", 1, "SUCCESS", 10, List.of(new StageRow("Build", null, "SUCCESS", 10)), Map.of(), List.of("a.jar"));
        builds.create("killed/job", Map.of(), "Started by timer");
        builds.markRunning("killed/job", 2, Instant.now());
        try (OutputStream log = store.logs().append("killed/job", 2)) {
            log.write("line before the kill\n".getBytes(StandardCharsets.UTF_8));
        }
        System.out.println("written");
        System.out.flush();
        Runtime.getRuntime().halt(137);
    }
}
