package dev.gantry.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link SecurityRepository} in the tables of migrations V7 and V10; every value a statement parameter. */
final class H2SecurityRepository implements SecurityRepository {
    private final Transactions tx;

    H2SecurityRepository(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public List<UserRecord> users() {
        return tx.run("listing users", c -> {
            List<UserRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, password_hash, created, disabled FROM users ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(user(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<UserRecord> user(String name) {
        return one("reading user '" + name + "'", "SELECT name, password_hash, created, disabled FROM users WHERE name = ?", name,
                H2SecurityRepository::user);
    }

    private static UserRecord user(ResultSet rs) throws SQLException {
        return new UserRecord(rs.getString("name"), rs.getString("password_hash"), Transactions.instant(rs, "created"), rs.getBoolean("disabled"));
    }

    @Override
    public boolean createUser(UserRecord u) {
        return insertUnlessDuplicate("creating user '" + u.name() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (name, password_hash, created) VALUES (?, ?, ?)")) {
                ps.setString(1, u.name());
                ps.setString(2, u.passwordHash());
                ps.setObject(3, Transactions.timestamp(u.created()));
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean setPassword(String name, String passwordHash) {
        return update("setting the password of user '" + name + "'", "UPDATE users SET password_hash = ? WHERE name = ?", passwordHash, name);
    }

    @Override
    public boolean deleteUser(String name) {
        return tx.run("deleting user '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM role_grants WHERE username = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<TokenRecord> tokens(String user) {
        return tx.run("listing the tokens of user '" + user + "'", c -> {
            List<TokenRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, username, name, token_hash, created, last_used FROM api_tokens WHERE username = ? ORDER BY created, id")) {
                ps.setString(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(token(rs));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Optional<TokenRecord> tokenByHash(String hash) {
        return one("looking up a token", "SELECT id, username, name, token_hash, created, last_used FROM api_tokens WHERE token_hash = ?", hash,
                H2SecurityRepository::token);
    }

    private static TokenRecord token(ResultSet rs) throws SQLException {
        return new TokenRecord(rs.getString("id"), rs.getString("username"), rs.getString("name"), rs.getString("token_hash"),
                Transactions.instant(rs, "created"), rs.getObject("last_used") == null ? null : Transactions.instant(rs, "last_used"));
    }

    @Override
    public void createToken(TokenRecord t) {
        tx.run("creating token '" + t.name() + "' of user '" + t.user() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_tokens (id, username, name, token_hash, created) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, t.id());
                ps.setString(2, t.user());
                ps.setString(3, t.name());
                ps.setString(4, t.hash());
                ps.setObject(5, Transactions.timestamp(t.created()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean deleteToken(String user, String id) {
        return update("revoking token '" + id + "' of user '" + user + "'", "DELETE FROM api_tokens WHERE username = ? AND id = ?", user, id);
    }

    @Override
    public List<GrantRecord> grants() {
        return grants("listing role grants", "SELECT username, role, folder FROM role_grants ORDER BY username, folder, role", null);
    }

    @Override
    public List<GrantRecord> grants(String user) {
        return grants("listing the roles of user '" + user + "'",
                "SELECT username, role, folder FROM role_grants WHERE username = ? ORDER BY folder, role", user);
    }

    private List<GrantRecord> grants(String operation, String sql, String user) {
        return tx.run(operation, c -> {
            List<GrantRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (user != null) {
                    ps.setString(1, user);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new GrantRecord(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public boolean grant(GrantRecord g) {
        return insertUnlessDuplicate("granting role " + g.role() + " to user '" + g.user() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO role_grants (username, role, folder) VALUES (?, ?, ?)")) {
                ps.setString(1, g.user());
                ps.setString(2, g.role());
                ps.setString(3, g.folder());
                ps.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean revoke(GrantRecord g) {
        return update("revoking role " + g.role() + " from user '" + g.user() + "'",
                "DELETE FROM role_grants WHERE username = ? AND role = ? AND folder = ?", g.user(), g.role(), g.folder());
    }

    @Override
    public void audit(AuditRecord e) {
        tx.run("writing the audit log", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_log (at, actor, action, target, detail, address) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, Transactions.timestamp(e.at()));
                ps.setString(2, clip(e.actor(), 200));
                ps.setString(3, clip(e.action(), 100));
                ps.setString(4, clip(e.target(), 1000));
                ps.setString(5, clip(e.detail(), 4000));
                ps.setString(6, clip(e.address(), 100));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Long values are cut rather than refused: an audit entry must never fail for its size. */
    private static String clip(String s, int max) {
        String v = s == null ? "" : s;
        return v.length() <= max ? v : v.substring(0, max - 1) + "…";
    }

    @Override
    public List<AuditRecord> audit(String actor, String action, int offset, int limit) {
        return tx.run("reading the audit log", c -> {
            StringBuilder sql = new StringBuilder("SELECT id, at, actor, action, target, detail, address FROM audit_log WHERE 1 = 1");
            List<String> args = new ArrayList<>();
            if (actor != null) {
                sql.append(" AND actor = ?");
                args.add(actor);
            }
            if (action != null) {
                sql.append(" AND action = ?");
                args.add(action);
            }
            sql.append(" ORDER BY id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY");
            List<AuditRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (String a : args) {
                    ps.setString(i++, a);
                }
                ps.setInt(i++, offset);
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AuditRecord(rs.getLong("id"), Transactions.instant(rs, "at"), rs.getString("actor"), rs.getString("action"),
                                rs.getString("target"), rs.getString("detail"), rs.getString("address")));
                    }
                }
            }
            return out;
        });
    }

    private boolean update(String operation, String sql, String... args) {
        return count(operation, sql, args) > 0;
    }

    /** Runs {@code sql} with {@code args} as its parameters; the number of rows it changed. */
    private int count(String operation, String sql, String... args) {
        return tx.run(operation, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    /** Maps one row of a result set. */
    private interface Row<T> {
        T of(ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql}, a SELECT by one key ({@code ?} 1): its first row, or empty. */
    private <T> Optional<T> one(String operation, String sql, String key, Row<T> row) {
        return tx.run(operation, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row.of(rs)) : Optional.empty();
                }
            }
        });
    }

    private boolean insertUnlessDuplicate(String operation, Transactions.Work<Boolean, RuntimeException> work) {
        try {
            return tx.run(operation, work);
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException s && Transactions.DUPLICATE_KEY.equals(s.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean setDisabled(String name, boolean disabled) {
        return tx.run((disabled ? "disabling" : "enabling") + " user '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET disabled = ? WHERE name = ?")) {
                ps.setBoolean(1, disabled);
                ps.setString(2, name);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void tokenUsed(String id, Instant when) {
        setTime("noting the use of token '" + id + "'", "UPDATE api_tokens SET last_used = ? WHERE id = ?", when, id);
    }

    /** Runs {@code sql}, an UPDATE of one timestamp ({@code ?} 1) by one key ({@code ?} 2). */
    private void setTime(String what, String sql, Instant when, String key) {
        tx.run(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, Transactions.timestamp(when));
                ps.setString(2, key);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void createSession(SessionRecord s) {
        tx.run("storing a session of user '" + s.user() + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sessions (id_hash, username, created, last_seen) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, s.idHash());
                ps.setString(2, s.user());
                ps.setObject(3, Transactions.timestamp(s.created()));
                ps.setObject(4, Transactions.timestamp(s.lastSeen()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<SessionRecord> session(String idHash) {
        return one("reading a session", "SELECT id_hash, username, created, last_seen FROM sessions WHERE id_hash = ?", idHash,
                rs -> new SessionRecord(rs.getString("id_hash"), rs.getString("username"),
                        Transactions.instant(rs, "created"), Transactions.instant(rs, "last_seen")));
    }

    @Override
    public void touchSession(String idHash, Instant lastSeen) {
        setTime("noting a session's request", "UPDATE sessions SET last_seen = ? WHERE id_hash = ?", lastSeen, idHash);
    }

    @Override
    public boolean deleteSession(String idHash) {
        return update("ending a session", "DELETE FROM sessions WHERE id_hash = ?", idHash);
    }

    @Override
    public int deleteSessions(String user) {
        return count("ending the sessions of user '" + user + "'", "DELETE FROM sessions WHERE username = ?", user);
    }

    @Override
    public int pruneSessions(Instant idleBefore, Instant createdBefore) {
        return tx.run("pruning expired sessions", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE last_seen < ? OR created < ?")) {
                ps.setObject(1, Transactions.timestamp(idleBefore));
                ps.setObject(2, Transactions.timestamp(createdBefore));
                return ps.executeUpdate();
            }
        });
    }
}
