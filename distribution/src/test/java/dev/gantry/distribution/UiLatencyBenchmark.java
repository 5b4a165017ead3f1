package dev.gantry.distribution;

import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.LogIndex;
import dev.gantry.engine.store.StageRow;
import dev.gantry.engine.store.Store;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web UI's page times with 10,000 builds of one job in history (and 20 more jobs, and a
 * 50 MB console log on the newest build), over HTTP against the built distribution's controller;
 * the builds are written through the store first. Prints p50 and p99 per page. Run by
 * scripts/bench/ui-latency; not a test.
 */
public final class UiLatencyBenchmark {
    private UiLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int builds = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int logMb = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        Path home = Files.createTempDirectory("gantry-ui-bench-");
        List<StageRow> stages = List.of(new StageRow("Build", null, "SUCCESS", 1200), new StageRow("Unit", "Test", "SUCCESS", 800),
                new StageRow("Lint", "Test", "SUCCESS", 300), new StageRow("Test", null, "SUCCESS", 900));
        String job = "team-a/api";
        try (Store store = Store.open(home)) {
            store.jobs().save(job, "pipeline { agent any\n parameters { string(name: 'TARGET', defaultValue: 'staging') }\n"
                    + " stages { stage('Build') { steps { echo 'x' } } } }\n", null);
            for (int i = 0; i < builds; i++) {
                BuildRecord b = store.builds().create(job, Map.of("TARGET", "staging"), "Started by timer");
                store.builds().markRunning(job, b.number(), Instant.now());
                store.builds().complete(job, b.number(), i % 10 == 0 ? "FAILURE" : "SUCCESS", 1234 + i % 500, stages,
                        Map.of("total", 120, "failed", 0, "skipped", 3, "passed", 117), List.of("dist/app.jar"));
            }
            for (int j = 0; j < 20; j++) {
                String other = "team-a/svc-" + j;
                store.jobs().save(other, "pipeline { agent any\n stages { stage('Build') { steps { echo 'x' } } } }\n", null);
                for (int i = 0; i < 3; i++) {
                    BuildRecord b = store.builds().create(other, Map.of(), "Started by timer");
                    store.builds().markRunning(other, b.number(), Instant.now());
                    store.builds().complete(other, b.number(), "SUCCESS", 2000, stages, Map.of(), List.of());
                }
            }
            writeBigLog(store, job, builds, logMb);
            writeTests(store, job, builds);
        }
        Path out = home.resolve("server.out");
        Process server = Gantry.command(out, List.of("server", "--home", home.toString(), "--port", "0"), Map.of()).start();
        try {
            URI base = null;
            Pattern ready = Pattern.compile("ready at (http://\\S+/)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (base == null) {
                Matcher m = ready.matcher(Files.readString(out));
                if (m.find()) {
                    base = URI.create(m.group(1));
                } else if (System.nanoTime() > deadline || !server.isAlive()) {
                    throw new IllegalStateException("the controller did not start: " + Files.readString(out));
                } else {
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                }
            }
            HttpClient http = HttpClient.newHttpClient();
            measure(http, base.resolve(""), requests, "dashboard /");
            measure(http, base.resolve("folder/team-a"), requests, "folder /folder/team-a");
            measure(http, base.resolve("job/team-a/api"), requests, "job /job/team-a/api");
            measure(http, base.resolve("job/team-a/api?page=200"), requests, "job history page 200");
            measure(http, base.resolve("job/team-a/api/~" + (builds / 2)), requests, "build /~" + (builds / 2));
            measure(http, base.resolve("job/team-a/api/~" + builds), requests, "build with " + logMb + " MB log (tail)");
            measure(http, base.resolve("job/team-a/api/~" + builds + "/log?start=" + (logMb / 2) * 1024L * 1024), requests, "full log, a middle page");
            measure(http, base.resolve("job/team-a/api/~" + builds + "/live"), requests, "live fragment");
            measure(http, base.resolve("job/team-a/api/~config"), requests, "configure /~config");
            measure(http, base.resolve("job/team-a/api/~test?class=shop.CartTest&name=appliesDiscount"), requests, "test history (50 builds)");
            measure(http, base.resolve("job/team-a/api/~" + (builds - 1)), requests, "build with 120 test results");
            measure(http, base.resolve("agents"), requests, "agents");
            measure(http, base.resolve("system"), requests, "system");
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A console log of {@code mb} MiB with coloured lines, one stage and a step per MiB in its index. */
    private static void writeBigLog(Store store, String job, int number, int mb) throws Exception {
        long t = System.currentTimeMillis();
        try (OutputStream log = new BufferedOutputStream(store.logs().append(job, number), 1 << 16);
             OutputStream idx = store.logs().appendIndex(job, number)) {
            LogIndex.Writer index = new LogIndex.Writer(idx, LogIndex.empty());
            index.stage("s1", "Build", null, t);
            long offset = 0;
            int line = 0;
            for (int m = 0; m < mb; m++) {
                String id = "stage[Build]/" + m;
                index.step(id, "sh", "s1", t + m * 1000L);
                long start = offset;
                while (offset - start < 1024 * 1024) {
                    byte[] b = ("[\u001b[32mINFO\u001b[0m] line " + (line++) + " of a long build: compiling module " + (line % 97) + "\n")
                            .getBytes(StandardCharsets.UTF_8);
                    log.write(b);
                    offset += b.length;
                }
                index.range(id, start, offset);
                index.end(id, "SUCCESS", 1000);
            }
            index.end("s1", "SUCCESS", mb * 1000L);
            log.flush();
            index.commit();
        }
    }

    /**
     * The test files of the 60 newest builds before the last: 120 tests each (one failing in every
     * tenth build), with a stack trace on each failure, as junit writes them.
     */
    private static void writeTests(Store store, String job, int builds) throws Exception {
        for (int n = Math.max(1, builds - 60); n < builds; n++) {
            List<dev.gantry.engine.testresults.InMemoryTestResults.Entry> cases = new java.util.ArrayList<>();
            for (int t = 0; t < 120; t++) {
                boolean failed = t == 7 && n % 10 == 0;
                String name = t == 7 ? "appliesDiscount" : "test" + t;
                cases.add(new dev.gantry.engine.testresults.InMemoryTestResults.Entry("Test", new dev.gantry.api.build.TestCaseResult("shop",
                        "shop.CartTest", name, failed ? dev.gantry.api.build.TestCaseResult.Status.FAILED
                        : dev.gantry.api.build.TestCaseResult.Status.PASSED, 0.01 * (t + 1), failed ? "expected 90 but was 100" : null,
                        failed ? "java.lang.AssertionError: expected 90 but was 100\n\tat shop.CartTest.appliesDiscount(CartTest.java:31)".repeat(20) : null)));
            }
            dev.gantry.engine.testresults.TestCaseFile.write(store.artifactsDir(job, n).getParent(), cases);
        }
    }

    private static void measure(HttpClient http, URI uri, int requests, String name) throws Exception {
        HttpRequest req = Gantry.request(uri).GET().build();
        for (int i = 0; i < requests / 4; i++) {
            http.send(req, HttpResponse.BodyHandlers.discarding());
        }
        long[] nanos = new long[requests];
        long bytes = 0;
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            nanos[i] = System.nanoTime() - t;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
            }
            bytes = r.body().length;
        }
        Arrays.sort(nanos);
        System.out.printf("%-34s p50 %7.2f ms  p99 %7.2f ms  (%d KB page, %d requests after %d warm-up)%n", name,
                nanos[requests / 2] / 1e6, nanos[(int) (requests * 0.99)] / 1e6, bytes / 1024, requests, requests / 4);
    }
}
