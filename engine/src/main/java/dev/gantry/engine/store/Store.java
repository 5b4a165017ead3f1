package dev.gantry.engine.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The controller's persistent state under one home directory: jobs and builds in an embedded H2
 * database ({@code db/gantry.mv.db}, schema by Flyway migrations in {@code db/migration}), and
 * each build's log and artifacts as files under {@code builds/<job id>/<number>/}. Paths use the
 * job's database id, never its name, so no name can reach outside the home.
 *
 * <p>One process owns a home at a time (H2's file lock refuses a second). Thread-safe.
 */
public final class Store implements AutoCloseable {
    /** The newest migration in {@code db/migration}; a test keeps the two in step. */
    static final String SCHEMA_VERSION = "12";
    private static final int MAX_CONNECTIONS = 16;
    private final Path home;
    private final JdbcConnectionPool pool;
    private final Transactions tx;
    private final H2JobRepository jobs;
    private final H2BuildRepository builds;
    private final FileLogStore logs;
    private final H2TriggerRepository triggers;
    private final H2AgentRepository agents;
    private final H2BuildScriptRepository scripts;
    private final H2NotificationRuleRepository notificationRules;
    private final H2CredentialRepository credentials;
    private final H2ApprovalRepository approvals;
    private final H2SecurityRepository security;
    private final H2WebhookDeliveryRepository webhookDeliveries;

    private Store(Path home, JdbcConnectionPool pool) {
        this.home = home;
        this.pool = pool;
        this.tx = new Transactions(pool, home.toString());
        this.jobs = new H2JobRepository(tx, this::deleteJobFiles);
        this.builds = new H2BuildRepository(tx, this::deleteBuildFiles);
        this.logs = new FileLogStore(this);
        this.triggers = new H2TriggerRepository(tx);
        this.agents = new H2AgentRepository(tx);
        this.scripts = new H2BuildScriptRepository(tx);
        this.notificationRules = new H2NotificationRuleRepository(tx);
        this.credentials = new H2CredentialRepository(tx);
        this.approvals = new H2ApprovalRepository(tx);
        this.security = new H2SecurityRepository(tx);
        this.webhookDeliveries = new H2WebhookDeliveryRepository(tx);
    }

    /**
     * Opens (creating when needed) the store in {@code home}: creates the directory, opens the
     * database at {@code home/db/gantry}, migrates its schema to the newest version, and removes
     * build directories left behind by a job deleted just before a crash.
     *
     * @throws StoreException when the database cannot be opened (in use by another process, not
     *     a Gantry database, newer schema than this version knows) or migrated
     * @throws UncheckedIOException when the home cannot be created
     */
    public static Store open(Path home) {
        Objects.requireNonNull(home, "home");
        Path abs = home.toAbsolutePath().normalize();
        if (abs.toString().contains(";")) {
            throw new IllegalArgumentException("the Gantry home " + abs + " contains ';', which the H2 database URL cannot hold; choose another directory");
        }
        try {
            Files.createDirectories(abs.resolve("db"));
            Files.createDirectories(abs.resolve("builds"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Gantry home " + abs + ": " + e, e);
        }
        // File mode, embedded, no AUTO_SERVER: one process owns the home. DB_CLOSE_ON_EXIT=FALSE
        // because close() shuts down in order; H2's own hook could close it under running builds.
        // WRITE_DELAY=0: by default MVStore writes commits to the file up to 500 ms later, so a
        // kill -9 loses the last commits (the kill test shows it); 0 writes each commit before it
        // returns. It does not fsync: an OS crash or power loss can still lose the last moments.
        // async: H2 reads and writes through an AsynchronousFileChannel, which an interrupted thread
        // cannot close. With the default file system, one interrupt arriving while any thread is in
        // a database call (an aborted build, a stopped helper thread) closes the file channel and
        // with it the whole database ("The database has been closed").
        String url = "jdbc:h2:async:" + abs.resolve("db").resolve("gantry") + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "gantry", "");
        pool.setMaxConnections(MAX_CONNECTIONS);
        Store store = new Store(abs, pool);
        try {
            store.migrate();
            dev.gantry.engine.server.StartupTrace.mark("store migrated");
            store.sweepOrphans();
            store.scripts.sweep();
            return store;
        } catch (RuntimeException | Error e) {
            pool.dispose();
            throw e;
        }
    }

    private void migrate() {
        if (schemaIsCurrent()) {
            // Flyway costs ~175 ms of a cold start even when there is nothing to do; the
            // controller must be ready within a second, so it only runs when there is work.
            return;
        }
        try (Connection c = pool.getConnection()) {
            if (FreshSchema.createIfEmpty(c) && schemaIsCurrent()) {
                return;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot create the database of the new Gantry home " + home + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure(Store.class.getClassLoader())
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .cleanDisabled(true)
                    .outOfOrder(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate the database of the Gantry home " + home + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether Flyway's history has every migration this version knows applied and none failed.
     * Every one, not just the newest: migrations written in parallel land with lower numbers than
     * ones already released (V9 after V12), and Flyway applies those out of order.
     */
    private boolean schemaIsCurrent() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\", \"success\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")) {
            Set<String> applied = new HashSet<>();
            boolean failed = false;
            String newest = null;
            while (rs.next()) {
                String v = rs.getString(1);
                if (!rs.getBoolean(2)) {
                    failed = true;
                } else {
                    applied.add(v);
                }
                if (newest == null || newer(v, newest)) {
                    newest = v;
                }
            }
            if (newest == null) {
                return false;
            }
            if (newer(newest, SCHEMA_VERSION)) {
                // Flyway would ignore the unknown future migration and carry on; a newer schema
                // may mean something else, so refuse instead of guessing.
                throw new StoreException("the database of the Gantry home " + home + " has schema version " + newest
                        + ", written by a newer Gantry; this one knows up to version " + SCHEMA_VERSION
                        + ". Run the newer Gantry, or restore a backup made with this version into a new home", null);
            }
            if (failed) {
                return false;
            }
            List<FreshSchema.Migration> known = FreshSchema.migrations();
            if (known.isEmpty()) {
                return SCHEMA_VERSION.equals(newest);
            }
            return known.stream().allMatch(m -> applied.contains(m.version()));
        } catch (SQLException e) {
            if (e.getErrorCode() == org.h2.api.ErrorCode.TABLE_OR_VIEW_NOT_FOUND_DATABASE_EMPTY_1
                    || e.getErrorCode() == org.h2.api.ErrorCode.TABLE_OR_VIEW_NOT_FOUND_WITH_CANDIDATES_2
                    || e.getErrorCode() == org.h2.api.ErrorCode.TABLE_OR_VIEW_NOT_FOUND_1) {
                return false;
            }
            throw new StoreException("cannot open the database of the Gantry home " + home + ": " + e.getMessage()
                    + (e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1
                        ? " (another Gantry process is using this home; stop it or choose another home)" : ""), e);
        }
    }

    /** Whether Flyway version {@code a} (1, 2.1, ...) comes after {@code b}. */
    static boolean newer(String a, String b) {
        return FreshSchema.compareVersions(a, b) > 0;
    }

    private void sweepOrphans() {
        Set<String> known = new HashSet<>();
        tx.run("listing job ids", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM jobs")) {
                while (rs.next()) {
                    known.add(Long.toString(rs.getLong(1)));
                }
            }
            return null;
        });
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(home.resolve("builds"))) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && !known.contains(name)) {
                    deleteTree(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up build directories of deleted jobs under " + home.resolve("builds") + ": " + e, e);
        }
    }

    /** Jobs; never null. */
    public JobRepository jobs() {
        return jobs;
    }

    /** Builds; never null. */
    public BuildRepository builds() {
        return builds;
    }

    /** Triggers of jobs and the timer's claims; never null. */
    public TriggerRepository triggers() {
        return triggers;
    }

    /** The script each build ran; never null. */
    public BuildScriptRepository scripts() {
        return scripts;
    }

    /** The notification rules of jobs and folders. */
    public NotificationRuleRepository notificationRules() {
        return notificationRules;
    }

    /** The registered agents. */
    public AgentRepository agents() {
        return agents;
    }

    /** Credentials (encrypted by the caller) and their uses; never null. */
    public CredentialRepository credentials() {
        return credentials;
    }

    /** Script approvals of the pipeline sandbox; never null. */
    public ApprovalRepository approvals() {
        return approvals;
    }

    /** Users, tokens, role grants and the audit log; never null. */
    public SecurityRepository security() {
        return security;
    }

    /** The webhook deliveries acted on (their ids); never null. */
    public WebhookDeliveryRepository webhookDeliveries() {
        return webhookDeliveries;
    }

    /** Build logs; never null. */
    public LogStore logs() {
        return logs;
    }

    /** The absolute, normalised home directory. */
    public Path home() {
        return home;
    }

    /**
     * The directory for a build's archived artifacts ({@code builds/<job id>/<number>/artifacts}),
     * created if missing. It is removed with the job.
     *
     * @throws NoSuchElementException when the build does not exist
     * @throws IOException when the directory cannot be created
     */
    public Path artifactsDir(String job, int number) throws IOException {
        Path dir = buildDirectory(job, number).resolve("artifacts");
        Files.createDirectories(dir);
        return dir;
    }

    /**
     * Writes an online, consistent backup of the whole home to {@code targetZip} while the store
     * keeps serving. The database part comes from H2's {@code BACKUP TO} (a copy-on-write
     * snapshot of the MVStore file, transactionally consistent without locking anyone out); the
     * logs and artifacts are copied after it, each log up to the length it had when copied (logs
     * only grow, so that is a valid prefix). The zip holds {@code db/gantry.mv.db} and
     * {@code builds/...} exactly as in a home.
     *
     * <p>To restore: stop nothing, pick a new empty directory and call {@link #restore(Path, Path)},
     * or by hand: {@code unzip backup.zip -d NEW_HOME}, then start Gantry with {@code NEW_HOME}
     * (or move it over the old home while Gantry is stopped).
     *
     * @throws IOException when the zip cannot be written (nothing is left at {@code targetZip} then)
     */
    public void backup(Path targetZip) throws IOException {
        Path target = targetZip.toAbsolutePath().normalize();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, ".gantry-backup-", ".zip");
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                backup(out, dir);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /**
     * Writes the same backup as {@link #backup(Path)} as a zip stream to {@code out} (left open),
     * for sending it to a client. The database snapshot is staged in a temporary file in the home
     * (same disk, removed afterwards): H2 writes its backup only to a file.
     *
     * @throws IOException when the snapshot or {@code out} cannot be written
     */
    public void backup(OutputStream out) throws IOException {
        backup(out, home);
    }

    private void backup(OutputStream out, Path scratch) throws IOException {
        Path dbZip = Files.createTempFile(scratch, ".gantry-db-", ".zip");
        try {
            Files.delete(dbZip);
            tx.run("backing up the database to " + dbZip, c -> {
                try (PreparedStatement ps = c.prepareStatement("BACKUP TO ?")) {
                    ps.setString(1, dbZip.toString());
                    ps.execute();
                }
                return null;
            });
            ZipOutputStream zip = new ZipOutputStream(new java.io.FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            });
            try (zip) {
                try (ZipFile db = new ZipFile(dbZip.toFile())) {
                    for (ZipEntry entry : db.stream().toList()) {
                        zip.putNextEntry(new ZipEntry("db/" + entry.getName()));
                        try (InputStream in = db.getInputStream(entry)) {
                            in.transferTo(zip);
                        }
                        zip.closeEntry();
                    }
                }
                addFiles(zip, home.resolve("builds"));
            }
        } finally {
            Files.deleteIfExists(dbZip);
        }
    }

    private void addFiles(ZipOutputStream zip, Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        // A build may delete its stash directory while the backup walks: what vanished is skipped.
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        files.sort(null);
        for (Path file : files) {
            long length;
            InputStream in;
            try {
                in = Files.newInputStream(file);
                length = Files.size(file);
            } catch (NoSuchFileException e) {
                continue; // its job was deleted while the backup ran
            }
            try (in) {
                zip.putNextEntry(new ZipEntry(home.relativize(file).toString().replace('\\', '/')));
                Streams.copy(in, zip, length);
                zip.closeEntry();
            }
        }
    }

    /**
     * Restores a zip written by {@link #backup(Path)} into {@code newHome}, which must not exist
     * or be empty; afterwards {@link #open(Path) open(newHome)} finds everything that was in the
     * backup. Entries that would land outside {@code newHome} are refused.
     *
     * @throws FileAlreadyExistsException when {@code newHome} is not empty
     * @throws IOException when the zip cannot be read, is not a Gantry backup, or the files cannot be written
     */
    public static void restore(Path backupZip, Path newHome) throws IOException {
        Path home = newHome.toAbsolutePath().normalize();
        if (Files.isDirectory(home)) {
            try (Stream<Path> entries = Files.list(home)) {
                if (entries.findAny().isPresent()) {
                    throw new FileAlreadyExistsException(home.toString(), null, "restore needs a new or empty directory; this one has files");
                }
            }
        }
        Files.createDirectories(home);
        boolean sawDatabase = false;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(backupZip))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = home.resolve(entry.getName()).normalize();
                if (!target.startsWith(home) || target.equals(home)) {
                    throw new IOException("backup " + backupZip + " has the entry '" + entry.getName() + "', which points outside the home; refusing to restore it");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                sawDatabase |= target.equals(home.resolve("db").resolve("gantry.mv.db"));
                Files.createDirectories(target.getParent());
                Files.copy(zip, target);
            }
        }
        if (!sawDatabase) {
            throw new IOException("backup " + backupZip + " has no db/gantry.mv.db: it is not a Gantry backup made by Store.backup");
        }
    }

    /**
     * Shuts the database down (committed data is on disk afterwards) and releases the home for
     * another process. Repository calls after this throw {@link IllegalStateException}. Log
     * writers still open keep working on their files. Idempotent.
     */
    @Override
    public void close() {
        tx.close();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException | IllegalStateException e) {
            // Already shut down or disposed: nothing left to close.
        } finally {
            pool.dispose();
        }
    }

    /** The job's id, or empty; {@code forUpdate} locks its row until the transaction ends. */
    static OptionalLong jobId(Connection c, String name, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM jobs WHERE name = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    OptionalLong jobIdIfAny(String job) {
        Objects.requireNonNull(job, "job");
        return tx.run("looking up job '" + job + "'", c -> jobId(c, job, false));
    }

    /** {@code builds/<job id>/<number>} of an existing build (not created here). */
    Path buildDirectory(String job, int number) {
        Objects.requireNonNull(job, "job");
        long id = tx.run("looking up build " + job + " #" + number, c -> {
            OptionalLong found = jobId(c, job, false);
            if (found.isEmpty() || !H2BuildRepository.exists(c, found.getAsLong(), number)) {
                throw new NoSuchElementException("there is no build " + job + " #" + number);
            }
            return found.getAsLong();
        });
        return buildDirectory(id, number);
    }

    Path buildDirectory(long jobId, int number) {
        return home.resolve("builds").resolve(Long.toString(jobId)).resolve(Integer.toString(number));
    }

    private void deleteBuildFiles(long jobId, int number, boolean artifactsOnly) {
        Path dir = buildDirectory(jobId, number);
        Path target = artifactsOnly ? dir.resolve("artifacts") : dir;
        try {
            deleteTree(target);
        } catch (IOException e) {
            throw new UncheckedIOException("the build " + (artifactsOnly ? "artifacts were" : "was") + " deleted but " + target
                    + " could not be removed (" + e + ")", e);
        }
    }

    private void deleteJobFiles(long jobId) {
        try {
            deleteTree(home.resolve("builds").resolve(Long.toString(jobId)));
        } catch (IOException e) {
            throw new UncheckedIOException("the job was deleted but its files under " + home.resolve("builds").resolve(Long.toString(jobId))
                    + " could not be removed (" + e + "); they are removed on the next start", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
