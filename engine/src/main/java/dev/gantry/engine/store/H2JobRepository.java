package dev.gantry.engine.store;

import dev.gantry.engine.jobs.JobSettings;
import dev.gantry.engine.jobs.JobSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * Jobs in the {@code jobs} table and folders in {@code folders}; optimistic locking compares
 * {@code version} in the UPDATE itself. Every write checks, in its transaction, that no name is
 * both a folder and a job.
 */
final class H2JobRepository implements JobRepository {
    private static final String COLUMNS = "id, name, script, version, created, updated, spec, settings";
    private final Transactions tx;
    private final LongConsumer deleteFiles;

    H2JobRepository(Transactions tx, LongConsumer deleteFiles) {
        this.tx = tx;
        this.deleteFiles = deleteFiles;
    }

    @Override
    public List<JobRecord> saveAll(List<JobWrite> writes) throws StaleVersionException {
        List<String> specs = new ArrayList<>();
        List<String> settings = new ArrayList<>();
        for (JobWrite w : writes) {
            check(w);
            specs.add(Json.write(w.spec() == null ? JobSpec.EMPTY : w.spec(), "job definition"));
            settings.add(Json.write(w.settings() == null ? JobSettings.NONE : w.settings(), "job settings"));
        }
        String what = writes.size() == 1 ? "saving job '" + writes.get(0).name() + "'" : "saving " + writes.size() + " jobs";
        // Two callers creating the same new job or folder race on the unique name: the loser retries
        // (as an update where it may, as a stale create where it must not overwrite).
        for (int attempt = 0; ; attempt++) {
            try {
                return tx.run(what, c -> {
                    List<JobRecord> saved = new ArrayList<>();
                    for (int i = 0; i < writes.size(); i++) {
                        JobWrite w = writes.get(i);
                        saved.add(saveOnce(c, w.name(), w.script(), specs.get(i), settings.get(i), w.expectedVersion()));
                    }
                    return saved;
                });
            } catch (StoreException e) {
                if (attempt < 3 && e.getCause() instanceof SQLException s && Transactions.DUPLICATE_KEY.equals(s.getSQLState())) {
                    continue;
                }
                throw e;
            }
        }
    }

    private static void check(JobWrite w) {
        Objects.requireNonNull(w.name(), "name");
        Objects.requireNonNull(w.script(), "script");
        if (w.name().length() > 1000) {
            throw new IllegalArgumentException("a job name has at most 1000 characters, this one has " + w.name().length());
        }
        if (w.script().length() > Json.MAX_TEXT) {
            throw new IllegalArgumentException("the script of job '" + w.name() + "' has " + w.script().length() + " characters; at most " + Json.MAX_TEXT + " are stored");
        }
        if (w.expectedVersion() != null && w.expectedVersion() < 0) {
            throw new IllegalArgumentException("expected version of job '" + w.name() + "' must be 0 (create) or a version read before, not " + w.expectedVersion());
        }
    }

    private static JobRecord saveOnce(Connection c, String name, String script, String spec, String settings, Long expectedVersion)
            throws SQLException, StaleVersionException {
        Instant now = Instant.now();
        if (folderId(c, name).isPresent()) {
            throw new JobTreeConflictException("'" + name + "' is a folder; a job cannot have the name of a folder (delete the folder or choose another name)");
        }
        ensureFolders(c, name, now);
        if (expectedVersion != null && expectedVersion == 0) {
            OptionalLong current = version(c, name);
            if (current.isPresent()) {
                throw new StaleVersionException("job '" + name + "'", 0, current.getAsLong());
            }
            try {
                insert(c, name, script, spec, settings, now);
            } catch (SQLException e) {
                if (Transactions.DUPLICATE_KEY.equals(e.getSQLState())) {
                    throw new StaleVersionException("job '" + name + "'", 0, 1);
                }
                throw e;
            }
        } else if (expectedVersion != null) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET script = ?, spec = ?, settings = ?, version = version + 1, updated = ? WHERE name = ? AND version = ?")) {
                ps.setString(1, script);
                ps.setString(2, spec);
                ps.setString(3, settings);
                ps.setObject(4, Transactions.timestamp(now));
                ps.setString(5, name);
                ps.setLong(6, expectedVersion);
                if (ps.executeUpdate() == 0) {
                    throw new StaleVersionException("job '" + name + "'", expectedVersion, version(c, name).orElse(0));
                }
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET script = ?, spec = ?, settings = ?, version = version + 1, updated = ? WHERE name = ?")) {
                ps.setString(1, script);
                ps.setString(2, spec);
                ps.setString(3, settings);
                ps.setObject(4, Transactions.timestamp(now));
                ps.setString(5, name);
                if (ps.executeUpdate() == 0) {
                    insert(c, name, script, spec, settings, now);
                }
            }
        }
        return find(c, name).orElseThrow(() -> new IllegalStateException("job '" + name + "' vanished inside its own transaction"));
    }

    /** Creates the folders above {@code name} that are missing; refuses when a job has one of their names. */
    private static void ensureFolders(Connection c, String name, Instant now) throws SQLException {
        for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
            String folder = name.substring(0, slash);
            if (folderId(c, folder).isPresent()) {
                continue;
            }
            if (version(c, folder).isPresent()) {
                throw new JobTreeConflictException("'" + folder + "' is a job, so it cannot hold '" + name + "'; a name is either a job or a folder");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO folders (name, created) VALUES (?, ?)")) {
                ps.setString(1, folder);
                ps.setObject(2, Transactions.timestamp(now));
                ps.executeUpdate();
            }
        }
    }

    private static void insert(Connection c, String name, String script, String spec, String settings, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (name, script, spec, settings, version, created, updated) VALUES (?, ?, ?, ?, 1, ?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, script);
            ps.setString(3, spec);
            ps.setString(4, settings);
            ps.setObject(5, Transactions.timestamp(now));
            ps.setObject(6, Transactions.timestamp(now));
            ps.executeUpdate();
        }
    }

    private static OptionalLong version(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM jobs WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    private static OptionalLong folderId(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM folders WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    @Override
    public Optional<JobRecord> find(String name) {
        Objects.requireNonNull(name, "name");
        return tx.run("reading job '" + name + "'", c -> find(c, name));
    }

    private static Optional<JobRecord> find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(job(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<JobRecord> list() {
        return tx.run("listing jobs", c -> {
            List<JobRecord> jobs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(job(rs));
                }
            }
            return jobs;
        });
    }

    @Override
    public boolean delete(String name) {
        Objects.requireNonNull(name, "name");
        OptionalLong id = tx.run("deleting job '" + name + "'", c -> {
            OptionalLong found = Store.jobId(c, name, true);
            if (found.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE id = ?")) {
                    ps.setLong(1, found.getAsLong());
                    ps.executeUpdate();
                }
            }
            return found;
        });
        // Files go after the commit: a crash in between leaves a directory without a job, which
        // the next Store.open sweeps away; the reverse order could leave a job without its logs.
        id.ifPresent(deleteFiles);
        return id.isPresent();
    }

    @Override
    public Folder saveFolder(String name, String description) {
        Objects.requireNonNull(name, "name");
        for (int attempt = 0; ; attempt++) {
            try {
                return tx.run("saving folder '" + name + "'", c -> {
                    if (version(c, name).isPresent()) {
                        throw new JobTreeConflictException("'" + name + "' is a job; a folder cannot have the name of a job");
                    }
                    Instant now = Instant.now();
                    ensureFolders(c, name + "/", now);
                    if (description != null) {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE folders SET description = ? WHERE name = ?")) {
                            ps.setString(1, description);
                            ps.setString(2, name);
                            ps.executeUpdate();
                        }
                    }
                    return folder(c, name).orElseThrow();
                });
            } catch (StoreException e) {
                if (attempt < 3 && e.getCause() instanceof SQLException s && Transactions.DUPLICATE_KEY.equals(s.getSQLState())) {
                    continue;
                }
                throw e;
            }
        }
    }

    @Override
    public Optional<Folder> folder(String name) {
        Objects.requireNonNull(name, "name");
        return tx.run("reading folder '" + name + "'", c -> folder(c, name));
    }

    private static Optional<Folder> folder(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, description, created FROM folders WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Folder(rs.getString(1), rs.getString(2), Transactions.instant(rs, "created"))) : Optional.empty();
            }
        }
    }

    /** Rows directly under {@code prefix} ("" or "a/b/"): names that start with it and have no '/' after it. */
    private static final String DIRECT = " WHERE LEFT(name, ?) = ? AND LOCATE('/', name, ? + 1) = 0 ORDER BY name";

    @Override
    public Children children(String name) {
        Objects.requireNonNull(name, "name");
        String prefix = name.isEmpty() ? "" : name + "/";
        return tx.run("listing folder '" + name + "'", c -> {
            List<Folder> folders = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, description, created FROM folders" + DIRECT)) {
                bindDirect(ps, prefix);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        folders.add(new Folder(rs.getString(1), rs.getString(2), Transactions.instant(rs, "created")));
                    }
                }
            }
            List<JobRecord> jobs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs" + DIRECT)) {
                bindDirect(ps, prefix);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(job(rs));
                    }
                }
            }
            return new Children(folders, jobs);
        });
    }

    private static void bindDirect(PreparedStatement ps, String prefix) throws SQLException {
        ps.setInt(1, prefix.length());
        ps.setString(2, prefix);
        ps.setInt(3, prefix.length());
    }

    @Override
    public List<String> deleteFolder(String name, boolean recursive) {
        Objects.requireNonNull(name, "name");
        String prefix = name + "/";
        List<long[]> ids = new ArrayList<>();
        List<String> names = tx.run("deleting folder '" + name + "'", c -> {
            if (folderId(c, name).isEmpty()) {
                throw new NoSuchElementException("there is no folder '" + name + "'");
            }
            List<String> jobs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM jobs WHERE LEFT(name, ?) = ? ORDER BY name FOR UPDATE")) {
                ps.setInt(1, prefix.length());
                ps.setString(2, prefix);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(new long[] {rs.getLong(1)});
                        jobs.add(rs.getString(2));
                    }
                }
            }
            int folders;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM folders WHERE LEFT(name, ?) = ?")) {
                ps.setInt(1, prefix.length());
                ps.setString(2, prefix);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    folders = rs.getInt(1);
                }
            }
            if (!recursive && (!jobs.isEmpty() || folders > 0)) {
                throw new JobTreeConflictException("folder '" + name + "' is not empty: it holds " + jobs.size() + " job(s) and " + folders
                        + " folder(s); delete it recursively to delete them too");
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE LEFT(name, ?) = ?")) {
                ps.setInt(1, prefix.length());
                ps.setString(2, prefix);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM folders WHERE name = ? OR LEFT(name, ?) = ?")) {
                ps.setString(1, name);
                ps.setInt(2, prefix.length());
                ps.setString(3, prefix);
                ps.executeUpdate();
            }
            return jobs;
        });
        for (long[] id : ids) {
            deleteFiles.accept(id[0]);
        }
        return names;
    }

    private static JobRecord job(ResultSet rs) throws SQLException {
        return new JobRecord(rs.getString("name"), rs.getString("script"), rs.getLong("version"),
                Transactions.instant(rs, "created"), Transactions.instant(rs, "updated"),
                Json.spec(rs.getString("spec")), Json.settings(rs.getString("settings")));
    }
}
