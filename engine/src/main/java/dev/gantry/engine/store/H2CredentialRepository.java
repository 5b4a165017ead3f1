package dev.gantry.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Credentials in the {@code credentials} table and their uses in {@code credential_uses}. */
final class H2CredentialRepository implements CredentialRepository {
    private static final String COLUMNS = "scope, id, type, description, secret_data, created, updated";
    private final Transactions tx;

    H2CredentialRepository(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public List<Row> list(String scope) {
        return tx.run("listing credentials", c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM credentials WHERE scope = ? ORDER BY id")) {
                ps.setString(1, scope);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Row> find(String scope, String id) {
        return tx.run("reading credential '" + id + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM credentials WHERE scope = ? AND id = ?")) {
                ps.setString(1, scope);
                ps.setString(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("scope"), rs.getString("id"), rs.getString("type"), rs.getString("description"),
                rs.getBytes("secret_data"), Transactions.instant(rs, "created"), Transactions.instant(rs, "updated"));
    }

    @Override
    public boolean create(Row r) {
        try {
            return tx.run("creating credential '" + r.id() + "'", c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO credentials (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, r.scope());
                    ps.setString(2, r.id());
                    ps.setString(3, r.type());
                    ps.setString(4, r.description());
                    ps.setBytes(5, r.secretData());
                    ps.setObject(6, Transactions.timestamp(r.created()));
                    ps.setObject(7, Transactions.timestamp(r.updated()));
                    ps.executeUpdate();
                }
                return true;
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException s && Transactions.DUPLICATE_KEY.equals(s.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean update(Row r) {
        return tx.run("updating credential '" + r.id() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE credentials SET type = ?, description = ?, secret_data = ?, updated = ? WHERE scope = ? AND id = ?")) {
                ps.setString(1, r.type());
                ps.setString(2, r.description());
                ps.setBytes(3, r.secretData());
                ps.setObject(4, Transactions.timestamp(r.updated()));
                ps.setString(5, r.scope());
                ps.setString(6, r.id());
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean delete(String scope, String id) {
        return tx.run("deleting credential '" + id + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM credentials WHERE scope = ? AND id = ?")) {
                ps.setString(1, scope);
                ps.setString(2, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void recordUse(Use u) {
        tx.run("recording the use of credential '" + u.credentialId() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO credential_uses (job, build, scope, credential_id, used) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, u.job());
                ps.setInt(2, u.build());
                ps.setString(3, u.scope());
                ps.setString(4, u.credentialId());
                ps.setObject(5, Transactions.timestamp(u.used()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Use> uses(String job, String scope, String credentialId, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, got " + limit);
        }
        return tx.run("listing credential uses", c -> {
            StringBuilder sql = new StringBuilder("SELECT job, build, scope, credential_id, used FROM credential_uses WHERE 1 = 1");
            List<String> args = new ArrayList<>();
            if (job != null) {
                sql.append(" AND job = ?");
                args.add(job);
            }
            if (scope != null) {
                sql.append(" AND scope = ?");
                args.add(scope);
            }
            if (credentialId != null) {
                sql.append(" AND credential_id = ?");
                args.add(credentialId);
            }
            sql.append(" ORDER BY seq DESC LIMIT ?");
            List<Use> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (String a : args) {
                    ps.setString(i++, a);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Use(rs.getString("job"), rs.getInt("build"), rs.getString("scope"),
                                rs.getString("credential_id"), Transactions.instant(rs, "used")));
                    }
                }
            }
            return out;
        });
    }
}
