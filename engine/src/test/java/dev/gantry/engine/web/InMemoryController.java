package dev.gantry.engine.web;

import dev.gantry.engine.pipeline.Problem;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildStatus;
import dev.gantry.engine.store.JobRecord;
import dev.gantry.engine.store.StaleVersionException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A working {@link Controller} over maps and byte buffers, for driving the web server in tests.
 * A script is invalid when a line contains {@code SYNTAX}: one problem per occurrence, at its line
 * and column. Logs are either byte buffers or generated on demand ({@link #generatedLog}), so a
 * test can serve a huge log without holding it.
 */
public final class InMemoryController implements Controller {
    private final Map<String, JobRecord> jobs = new TreeMap<>();
    private final Map<String, List<BuildRecord>> builds = new HashMap<>();
    private final Map<String, Integer> nextNumber = new HashMap<>();
    private final Map<String, ByteArrayOutputStream> logs = new HashMap<>();
    private final Map<String, Long> generated = new HashMap<>();
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private volatile boolean failing;
    private final java.util.concurrent.atomic.AtomicLong generatedRead = new java.util.concurrent.atomic.AtomicLong();
    private volatile dev.gantry.engine.plugin.PluginSystem plugins;

    /** Gives the API a plugin system to manage. */
    public void plugins(dev.gantry.engine.plugin.PluginSystem system) {
        this.plugins = system;
    }

    @Override
    public java.util.Optional<dev.gantry.engine.plugin.PluginSystem> plugins() {
        return java.util.Optional.ofNullable(plugins);
    }

    @Override
    public synchronized JobRecord putJob(String name, String script, Long expectedVersion) throws InvalidJobException, StaleVersionException {
        check();
        List<Problem> problems = new ArrayList<>();
        String[] lines = script.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int at = lines[i].indexOf("SYNTAX");
            while (at >= 0) {
                problems.add(new Problem(i + 1, at + 1, "unexpected token 'SYNTAX'"));
                at = lines[i].indexOf("SYNTAX", at + 1);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidJobException(problems);
        }
        JobRecord old = jobs.get(name);
        long current = old == null ? 0 : old.version();
        if (expectedVersion != null && expectedVersion != current) {
            throw new StaleVersionException("job " + name, expectedVersion, current);
        }
        Instant now = Instant.now();
        JobRecord j = old == null ? new JobRecord(name, script, 1, now, now) : new JobRecord(name, script, old.version() + 1, old.created(), now);
        jobs.put(name, j);
        return j;
    }

    @Override
    public JobRecord putJob(dev.gantry.engine.jobs.JobDefinition definition, Long expectedVersion) throws InvalidJobException, StaleVersionException {
        return putJob(definition.name(), definition.script() == null ? "" : definition.script(), expectedVersion);
    }

    @Override
    public ApplyResult apply(String fileName, String text, boolean dryRun) {
        throw new UnsupportedOperationException("the in-memory controller does not apply definition files; the real controller's tests do");
    }

    @Override
    public Optional<dev.gantry.engine.store.Folder> folder(String name) {
        return Optional.empty();
    }

    @Override
    public dev.gantry.engine.store.JobRepository.Children children(String folder) {
        return new dev.gantry.engine.store.JobRepository.Children(List.of(), List.of());
    }

    @Override
    public dev.gantry.engine.store.Folder saveFolder(String name, String description) {
        throw new UnsupportedOperationException("the in-memory controller has no folders");
    }

    @Override
    public List<String> deleteFolder(String name, boolean recursive) {
        throw new NoSuchElementException("there is no folder '" + name + "'");
    }

    @Override
    public List<dev.gantry.engine.queue.QueueItem> queue() {
        return List.of();
    }

    @Override
    public synchronized Optional<JobRecord> job(String name) {
        check();
        return Optional.ofNullable(jobs.get(name));
    }

    @Override
    public synchronized List<JobRecord> jobs() {
        check();
        return List.copyOf(jobs.values());
    }

    @Override
    public synchronized boolean deleteJob(String name) {
        builds.remove(name);
        return jobs.remove(name) != null;
    }

    private volatile Runnable beforeTrigger = () -> { };

    /** Runs {@code hook} at the start of every trigger, e.g. to delete the job meanwhile. */
    public void beforeTrigger(Runnable hook) {
        beforeTrigger = hook;
    }

    @Override
    public synchronized BuildRecord trigger(String job, Map<String, Object> parameters, String cause) {
        beforeTrigger.run();
        if (!jobs.containsKey(job)) {
            throw new NoSuchElementException("no job " + job);
        }
        int n = nextNumber.merge(job, 1, Integer::sum);
        BuildRecord b = new BuildRecord(job, n, BuildStatus.QUEUED, null, Instant.now(), null, 0, Map.copyOf(parameters),
                List.of(), Map.of(), List.of(), cause);
        builds.computeIfAbsent(job, k -> new ArrayList<>()).add(b);
        return b;
    }

    /** Replaces a build (its job and number stay), e.g. to mark it running or completed. */
    public synchronized void update(BuildRecord b) {
        List<BuildRecord> list = builds.get(b.job());
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).number() == b.number()) {
                list.set(i, b);
                return;
            }
        }
        throw new NoSuchElementException(b.job() + " #" + b.number());
    }

    @Override
    public synchronized Optional<BuildRecord> build(String job, int number) {
        return builds.getOrDefault(job, List.of()).stream().filter(b -> b.number() == number).findFirst();
    }

    @Override
    public synchronized List<BuildRecord> builds(String job, int offset, int limit) {
        List<BuildRecord> all = new ArrayList<>(builds.getOrDefault(job, List.of()));
        Collections.reverse(all);
        return List.copyOf(all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + limit)));
    }

    /** Appends text to a build's log. */
    public synchronized void appendLog(String job, int number, String text) {
        logs.computeIfAbsent(job + "#" + number, k -> new ByteArrayOutputStream()).writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Makes a build's log {@code size} bytes of {@link #generatedByte}, produced only when read. */
    public synchronized void generatedLog(String job, int number, long size) {
        generated.put(job + "#" + number, size);
    }

    /** How many bytes of generated logs have been produced for readers so far. */
    public long generatedBytesRead() {
        return generatedRead.get();
    }

    /** The byte at {@code position} of a generated log: lines of 63 letters and a newline. */
    public static byte generatedByte(long position) {
        int column = (int) (position % 64);
        return column == 63 ? (byte) '\n' : (byte) ('a' + (position / 64 + column) % 26);
    }

    @Override
    public synchronized InputStream log(String job, int number, long offset) {
        Long size = generated.get(job + "#" + number);
        if (size != null) {
            return new GeneratedStream(offset, size, generatedRead);
        }
        ByteArrayOutputStream log = logs.get(job + "#" + number);
        if (log == null) {
            return InputStream.nullInputStream();
        }
        byte[] bytes = log.toByteArray();
        int from = (int) Math.min(offset, bytes.length);
        return new ByteArrayInputStream(bytes, from, bytes.length - from);
    }

    @Override
    public synchronized long logSize(String job, int number) {
        Long size = generated.get(job + "#" + number);
        if (size != null) {
            return size;
        }
        ByteArrayOutputStream log = logs.get(job + "#" + number);
        return log == null ? 0 : log.size();
    }

    @Override
    public synchronized boolean stop(String job, int number) {
        Optional<BuildRecord> b = build(job, number);
        if (b.isEmpty() || b.get().status() == BuildStatus.COMPLETED) {
            return false;
        }
        BuildRecord o = b.get();
        update(new BuildRecord(job, number, BuildStatus.COMPLETED, "ABORTED", o.queuedAt(), o.startedAt(), 1, o.parameters(),
                o.stages(), o.tests(), o.artifacts(), o.cause()));
        return true;
    }

    @Override
    public boolean ready() {
        return ready.get();
    }

    public void setReady(boolean value) {
        ready.set(value);
    }

    /** Makes job reads throw an unexpected exception (for the 500 path). */
    public void setFailing(boolean value) {
        failing = value;
    }

    private void check() {
        if (failing) {
            throw new IllegalStateException("database connection lost: jdbc:h2:/secret/path");
        }
    }

    private static final class GeneratedStream extends InputStream {
        private long position;
        private final long end;
        private final java.util.concurrent.atomic.AtomicLong produced;

        GeneratedStream(long from, long end, java.util.concurrent.atomic.AtomicLong produced) {
            this.position = Math.min(from, end);
            this.end = end;
            this.produced = produced;
        }

        @Override
        public int read() {
            if (position >= end) {
                return -1;
            }
            produced.incrementAndGet();
            return generatedByte(position++) & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = (int) Math.min(len, end - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = generatedByte(position++);
            }
            produced.addAndGet(n);
            return n;
        }
    }

    /** Artifacts by build key and path, for the download endpoints. */
    public final Map<String, Map<String, byte[]>> artifacts = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public java.io.InputStream artifact(String job, int number, String path) throws java.io.IOException {
        byte[] data = artifacts.getOrDefault(job + "#" + number, Map.of()).get(path);
        if (data == null) {
            throw new java.nio.file.NoSuchFileException(path);
        }
        return new java.io.ByteArrayInputStream(data);
    }

    @Override
    public void artifactsZip(String job, int number, java.io.OutputStream out) throws java.io.IOException {
        java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out);
        for (Map.Entry<String, byte[]> e : artifacts.getOrDefault(job + "#" + number, Map.of()).entrySet()) {
            zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
            zip.write(e.getValue());
            zip.closeEntry();
        }
        zip.finish();
    }
}
