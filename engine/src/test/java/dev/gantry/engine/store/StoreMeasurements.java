package dev.gantry.engine.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Measures what the controller's startup and build pages depend on: {@link Store#open} on a fresh
 * and on an existing home, and {@code list(job, 0, 50)} / {@code find(job, n)} with 10,000 builds
 * of one job. A main, not a test: timings belong in a report, not in assertions.
 *
 * <p>Run: {@code java -cp <engine test class path> dev.gantry.engine.store.StoreMeasurements [dir]}
 */
public final class StoreMeasurements {
    private StoreMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        Path root = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("gantry-store-measure");
        Path home = root.resolve("home");
        db = home.resolve("db/gantry.mv.db");
        if (args.length > 1 && args[1].equals("open")) {
            // A cold JVM opening the home once, as the controller does at start.
            boolean existed = Files.exists(db);
            long start = System.nanoTime();
            try (Store opened = Store.open(home)) {
                System.out.printf("cold JVM, Store.open on %s home: %.1f ms; ready %d ms after JVM start%n", existed ? "an existing" : "a fresh",
                        (System.nanoTime() - start) / 1e6, System.currentTimeMillis() - jvmStart);
            }
            return;
        }

        long t0 = System.nanoTime();
        Store store = Store.open(home);
        long freshOpen = System.nanoTime() - t0;
        System.out.printf("Store.open, fresh home (first in this JVM): %.1f ms; %d ms after JVM start%n", freshOpen / 1e6,
                System.currentTimeMillis() - jvmStart);

        store.jobs().save("team-a/api", "pipeline { }", 0L);
        long fill = System.nanoTime();
        int builds = Integer.getInteger("xbuilds", 10_000);
        List<StageRow> stages = List.of(new StageRow("Checkout", null, "SUCCESS", 1200), new StageRow("Build", null, "SUCCESS", 45_000),
                new StageRow("Test", null, "UNSTABLE", 90_000), new StageRow("unit", "Test", "UNSTABLE", 60_000),
                new StageRow("Deploy", null, "SUCCESS", 3000));
        for (int i = 1; i <= builds; i++) {
            store.builds().create("team-a/api", Map.of("BRANCH", "main", "DEPLOY", i % 2 == 0), "Started by timer");
            store.builds().markRunning("team-a/api", i, Instant.now());
            store.builds().complete("team-a/api", i, i % 10 == 0 ? "FAILURE" : "SUCCESS", 140_000, stages,
                    Map.of("total", 1200, "failed", i % 10 == 0 ? 3 : 0, "skipped", 4, "passed", 1193), List.of("target/app.jar", "target/app-sources.jar"));
        }
        System.out.printf("filled %d builds (3 transactions each) in %.1f s; database file %.1f MB before close%n", builds,
                (System.nanoTime() - fill) / 1e9, Files.size(home.resolve("db/gantry.mv.db")) / 1e6);
        store.close();

        t0 = System.nanoTime();
        store = Store.open(home);
        System.out.printf("Store.open, existing home with %d builds (second open in this JVM): %.1f ms%n", builds, (System.nanoTime() - t0) / 1e6);
        System.out.printf("database file: %.1f MB%n", Files.size(home.resolve("db/gantry.mv.db")) / 1e6);

        Store s = store;
        Random random = new Random(42);
        measure("list(job, 0, 50)", 2000, i -> {
            if (s.builds().list("team-a/api", 0, 50).size() != 50) {
                throw new IllegalStateException("expected 50 builds");
            }
        });
        measure("list(job, 5000, 50)", 2000, i -> s.builds().list("team-a/api", 5000, 50));
        measure("find(job, n)", 5000, i -> s.builds().find("team-a/api", 1 + random.nextInt(builds)).orElseThrow());
        measure("count(job)", 2000, i -> s.builds().count("team-a/api"));
        store.close();
    }

    private static Path db;

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void measure(String what, int iterations, IntConsumer call) {
        for (int i = 0; i < iterations / 4; i++) {
            call.accept(i);
        }
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            call.accept(i);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        System.out.printf("%-22s p50 %.3f ms  p99 %.3f ms  max %.3f ms  (%d calls after warm-up)%n", what,
                nanos[iterations / 2] / 1e6, nanos[iterations * 99 / 100] / 1e6, nanos[iterations - 1] / 1e6, iterations);
        System.out.printf("  database file now %.1f MB%n", size(db) / 1e6);
    }
}
