package dev.gantry.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/** Jobs in the {@code jobs} table; optimistic locking compares {@code version} in the UPDATE itself. */
final class H2JobRepository implements JobRepository {
    private static final String COLUMNS = "id, name, script, version, created, updated";
    private final Transactions tx;
    private final LongConsumer deleteFiles;

    H2JobRepository(Transactions tx, LongConsumer deleteFiles) {
        this.tx = tx;
        this.deleteFiles = deleteFiles;
    }

    @Override
    public JobRecord save(String name, String script, Long expectedVersion) throws StaleVersionException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(script, "script");
        if (name.length() > 1000) {
            throw new IllegalArgumentException("a job name has at most 1000 characters, this one has " + name.length());
        }
        if (script.length() > Json.MAX_TEXT) {
            throw new IllegalArgumentException("the script of job '" + name + "' has " + script.length() + " characters; at most " + Json.MAX_TEXT + " are stored");
        }
        if (expectedVersion != null && expectedVersion < 0) {
            throw new IllegalArgumentException("expected version of job '" + name + "' must be 0 (create) or a version read before, not " + expectedVersion);
        }
        // Two callers creating the same new job race on the unique name: the loser retries as an update.
        for (int attempt = 0; ; attempt++) {
            try {
                return tx.run("saving job '" + name + "'", c -> saveOnce(c, name, script, expectedVersion));
            } catch (StoreException e) {
                if (expectedVersion == null && attempt < 3 && e.getCause() instanceof SQLException s && Transactions.DUPLICATE_KEY.equals(s.getSQLState())) {
                    continue;
                }
                throw e;
            }
        }
    }

    private static JobRecord saveOnce(Connection c, String name, String script, Long expectedVersion) throws SQLException, StaleVersionException {
        Instant now = Instant.now();
        if (expectedVersion != null && expectedVersion == 0) {
            OptionalLong current = version(c, name);
            if (current.isPresent()) {
                throw new StaleVersionException("job '" + name + "'", 0, current.getAsLong());
            }
            try {
                insert(c, name, script, now);
            } catch (SQLException e) {
                if (Transactions.DUPLICATE_KEY.equals(e.getSQLState())) {
                    throw new StaleVersionException("job '" + name + "'", 0, 1);
                }
                throw e;
            }
        } else if (expectedVersion != null) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET script = ?, version = version + 1, updated = ? WHERE name = ? AND version = ?")) {
                ps.setString(1, script);
                ps.setObject(2, Transactions.timestamp(now));
                ps.setString(3, name);
                ps.setLong(4, expectedVersion);
                if (ps.executeUpdate() == 0) {
                    throw new StaleVersionException("job '" + name + "'", expectedVersion, version(c, name).orElse(0));
                }
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET script = ?, version = version + 1, updated = ? WHERE name = ?")) {
                ps.setString(1, script);
                ps.setObject(2, Transactions.timestamp(now));
                ps.setString(3, name);
                if (ps.executeUpdate() == 0) {
                    insert(c, name, script, now);
                }
            }
        }
        return find(c, name).orElseThrow(() -> new IllegalStateException("job '" + name + "' vanished inside its own transaction"));
    }

    private static void insert(Connection c, String name, String script, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO jobs (name, script, version, created, updated) VALUES (?, ?, 1, ?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, script);
            ps.setObject(3, Transactions.timestamp(now));
            ps.setObject(4, Transactions.timestamp(now));
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

    private static JobRecord job(ResultSet rs) throws SQLException {
        return new JobRecord(rs.getString("name"), rs.getString("script"), rs.getLong("version"),
                Transactions.instant(rs, "created"), Transactions.instant(rs, "updated"));
    }
}
