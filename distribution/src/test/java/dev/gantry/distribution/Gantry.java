package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built distribution's {@code bin/gantry} as a user would, as a separate process.
 * Output goes to a file so that huge logs never sit in the test's memory.
 */
final class Gantry {
    static final Path DIST = Path.of(System.getProperty("gantry.dist", "target/gantry")).toAbsolutePath();
    static final Path REPO = Path.of(System.getProperty("gantry.repo", "..")).toAbsolutePath().normalize();
    /** The password of {@code admin} on every controller the tests start (preset through GANTRY_ADMIN_PASSWORD). */
    static final String ADMIN_PASSWORD = "distribution-admin-password";
    /** {@code USER:PASSWORD} of that admin, as the CLI takes it (GANTRY_AUTH). */
    static final String ADMIN_AUTH = "admin:" + ADMIN_PASSWORD;

    private Gantry() {
    }

    static Path bin() {
        Path bin = DIST.resolve("bin/gantry");
        assertTrue(Files.isExecutable(bin), "no built distribution at " + bin + " (run mvn package first)");
        return bin;
    }

    static ProcessBuilder command(Path out, List<String> args, Map<String, String> env) {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin().toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // Every controller gets the known admin password and every client command signs in as that
        // admin, unless a test says otherwise.
        pb.environment().put("GANTRY_ADMIN_PASSWORD", ADMIN_PASSWORD);
        pb.environment().put("GANTRY_AUTH", ADMIN_AUTH);
        pb.environment().putAll(env);
        return pb;
    }

    /** A request to {@code uri} signed in as the admin (HTTP Basic). */
    static java.net.http.HttpRequest.Builder request(java.net.URI uri) {
        return java.net.http.HttpRequest.newBuilder(uri).header("Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString(ADMIN_AUTH.getBytes(StandardCharsets.UTF_8)));
    }

    /** A started {@code gantry server} and the URL it announced. */
    record Server(Process process, java.net.URI base) {
    }

    /**
     * Starts {@code gantry server ARGS} with its output in {@code out} and waits (at most 60 s) for
     * its "ready at URL" line; fails the test, with the output, when it exits or never gets there.
     */
    static Server startServer(Path out, List<String> args) throws IOException {
        return startServer(out, args, Map.of());
    }

    /** As {@link #startServer(Path, List)} with these environment variables (over the defaults of {@link #command}). */
    static Server startServer(Path out, List<String> args, Map<String, String> env) throws IOException {
        List<String> all = new ArrayList<>();
        all.add("server");
        all.addAll(args);
        Process server = command(out, all, env).start();
        java.util.regex.Pattern ready = java.util.regex.Pattern.compile("ready at (https?://\\S+/)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (true) {
                java.util.regex.Matcher m = ready.matcher(read(out));
                if (m.find()) {
                    return new Server(server, java.net.URI.create(m.group(1)));
                }
                assertTrue(server.isAlive(), () -> "the server exited: " + read(out));
                assertTrue(System.nanoTime() < deadline, () -> "the server did not get ready: " + read(out));
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
            }
        } catch (AssertionError e) {
            server.destroyForcibly();
            throw e;
        }
    }

    /** Stops {@code process} if it runs: SIGTERM, then SIGKILL after 30 s. Null is fine. */
    static void stop(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** A file's text, or what went wrong reading it (for failure messages). */
    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "(no output yet)";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Runs gantry and waits (at most {@code seconds}); output in {@code dir/out.txt}. */
    static Done run(Path dir, long seconds, String... args) throws IOException, InterruptedException {
        return run(dir, seconds, Map.of(), args);
    }

    static Done run(Path dir, long seconds, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Process p = command(out, List.of(args), env).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("gantry " + String.join(" ", args) + " did not finish within " + seconds + " s; output tail:\n" + tail(out));
        }
        return new Done(p.exitValue(), out);
    }

    static String tail(Path out) throws IOException {
        long size = Files.size(out);
        try (var in = Files.newInputStream(out)) {
            in.skip(Math.max(0, size - 4000));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A finished gantry process. */
    record Done(int exit, Path outputFile) {
        String output() throws IOException {
            return new String(Files.readAllBytes(outputFile), StandardCharsets.UTF_8);
        }

        Done assertExit(int expected) throws IOException {
            if (exit != expected) {
                throw new AssertionError("exit " + exit + ", expected " + expected + "; output:\n" + tail(outputFile));
            }
            return this;
        }

        Done assertOutput(String... needles) throws IOException {
            String o = output();
            for (String n : needles) {
                assertTrue(o.contains(n), "output lacks '" + n + "':\n" + o);
            }
            return this;
        }
    }
}
