package dev.gantry.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/** Triggers in {@code job_triggers}, timer claims in {@code job_timer}. */
final class H2TriggerRepository implements TriggerRepository {
    private static final Set<String> KINDS = Set.of("cron", "pollSCM", "upstream");
    private static final int MAX_TEXT = 10_000;
    private final Transactions tx;

    H2TriggerRepository(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public void replace(String job, List<TriggerRow> triggers) {
        Objects.requireNonNull(job, "job");
        for (TriggerRow t : triggers) {
            if (!KINDS.contains(t.kind())) {
                throw new IllegalArgumentException("a trigger of job '" + job + "' must be cron, pollSCM or upstream, not " + t.kind());
            }
            for (String text : new String[] {t.spec(), t.upstreamProjects()}) {
                if (text != null && text.length() > MAX_TEXT) {
                    throw new IllegalArgumentException("a " + t.kind() + " trigger of job '" + job + "' has " + text.length()
                            + " characters; at most " + MAX_TEXT + " are stored");
                }
            }
        }
        tx.run("saving the triggers of job '" + job + "'", c -> {
            long id = Store.jobId(c, job, true).orElseThrow(() -> new NoSuchElementException("there is no job '" + job + "'"));
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM job_triggers WHERE job_id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO job_triggers (job_id, position, kind, spec, upstream_projects, threshold) VALUES (?, ?, ?, ?, ?, ?)")) {
                int position = 0;
                for (TriggerRow t : triggers) {
                    ps.setLong(1, id);
                    ps.setInt(2, position++);
                    ps.setString(3, t.kind());
                    ps.setString(4, t.spec());
                    ps.setString(5, t.upstreamProjects());
                    ps.setString(6, t.threshold());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<TriggerRow> of(String job) {
        Objects.requireNonNull(job, "job");
        return tx.run("reading the triggers of job '" + job + "'", c -> query(c,
                "SELECT j.name, t.kind, t.spec, t.upstream_projects, t.threshold FROM job_triggers t JOIN jobs j ON j.id = t.job_id"
                        + " WHERE j.name = ? ORDER BY t.position", job));
    }

    @Override
    public List<TriggerRow> ofKind(String kind) {
        Objects.requireNonNull(kind, "kind");
        return tx.run("reading " + kind + " triggers", c -> query(c,
                "SELECT j.name, t.kind, t.spec, t.upstream_projects, t.threshold FROM job_triggers t JOIN jobs j ON j.id = t.job_id"
                        + " WHERE t.kind = ? ORDER BY j.name, t.position", kind));
    }

    private static List<TriggerRow> query(Connection c, String sql, String arg) throws SQLException {
        List<TriggerRow> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new TriggerRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return rows;
    }

    @Override
    public boolean claimTimerMinute(String job, Instant minute) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(minute, "minute");
        return tx.run("claiming minute " + minute + " for the timer of job '" + job + "'", c -> {
            // The job row lock serialises claims of one job: two claims of the same minute take turns.
            OptionalLong id = Store.jobId(c, job, true);
            if (id.isEmpty()) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE job_timer SET last_minute = ? WHERE job_id = ? AND last_minute < ?")) {
                ps.setObject(1, Transactions.timestamp(minute));
                ps.setLong(2, id.getAsLong());
                ps.setObject(3, Transactions.timestamp(minute));
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM job_timer WHERE job_id = ?")) {
                ps.setLong(1, id.getAsLong());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_timer (job_id, last_minute) VALUES (?, ?)")) {
                ps.setLong(1, id.getAsLong());
                ps.setObject(2, Transactions.timestamp(minute));
                ps.executeUpdate();
            }
            return true;
        });
    }
}
