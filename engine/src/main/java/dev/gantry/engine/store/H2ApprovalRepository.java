package dev.gantry.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Script approvals in the {@code script_approvals} table. */
final class H2ApprovalRepository implements ApprovalRepository {
    private static final String COLUMNS = "signature, status, approvable, first_job, first_build, first_script, hits, first_seen, last_seen, decided, first_line";
    private final Transactions tx;

    H2ApprovalRepository(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public List<Row> list() {
        return tx.run("listing script approvals", c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM script_approvals ORDER BY signature");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Row> find(String signature) {
        return tx.run("reading a script approval", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM script_approvals WHERE signature = ?")) {
                ps.setString(1, signature);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    private static Row row(ResultSet rs) throws SQLException {
        int build = rs.getInt("first_build");
        Integer firstBuild = rs.wasNull() ? null : build;
        return new Row(rs.getString("signature"), rs.getString("status"), rs.getBoolean("approvable"), rs.getString("first_job"),
                firstBuild, rs.getString("first_script"), rs.getLong("hits"), Transactions.instant(rs, "first_seen"),
                Transactions.instant(rs, "last_seen"), Transactions.instant(rs, "decided"), line(rs));
    }

    private static Integer line(ResultSet rs) throws SQLException {
        int line = rs.getInt("first_line");
        return rs.wasNull() ? null : line;
    }

    @Override
    public void rejected(String signature, boolean approvable, String job, Integer build, String script, Integer line, Instant when) {
        tx.run("recording a rejected script signature", c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE script_approvals SET hits = hits + 1, last_seen = ? WHERE signature = ?")) {
                up.setObject(1, Transactions.timestamp(when));
                up.setString(2, signature);
                if (up.executeUpdate() > 0) {
                    return null;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO script_approvals (" + COLUMNS + ") KEY (signature)"
                    + " VALUES (?, 'PENDING', ?, ?, ?, ?, 1, ?, ?, NULL, ?)")) {
                ps.setString(1, signature);
                ps.setBoolean(2, approvable);
                ps.setString(3, job);
                ps.setObject(4, build);
                ps.setString(5, script);
                ps.setObject(6, Transactions.timestamp(when));
                ps.setObject(7, Transactions.timestamp(when));
                ps.setObject(8, line);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void decide(String signature, String status, boolean approvable, Instant when) {
        tx.run("deciding on a script signature", c -> {
            try (PreparedStatement up = c.prepareStatement("UPDATE script_approvals SET status = ?, decided = ? WHERE signature = ?")) {
                up.setString(1, status);
                up.setObject(2, Transactions.timestamp(when));
                up.setString(3, signature);
                if (up.executeUpdate() > 0) {
                    return null;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO script_approvals (" + COLUMNS + ")"
                    + " VALUES (?, ?, ?, NULL, NULL, NULL, 0, ?, ?, ?, NULL)")) {
                ps.setString(1, signature);
                ps.setString(2, status);
                ps.setBoolean(3, approvable);
                ps.setObject(4, Transactions.timestamp(when));
                ps.setObject(5, Transactions.timestamp(when));
                ps.setObject(6, Transactions.timestamp(when));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean delete(String signature) {
        return tx.run("deleting a script approval", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM script_approvals WHERE signature = ?")) {
                ps.setString(1, signature);
                return ps.executeUpdate() > 0;
            }
        });
    }
}
