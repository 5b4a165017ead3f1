package dev.gantry.engine.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Build scripts in {@code build_scripts}, keyed by the SHA-256 of their text; {@code builds.script_hash}
 * points at them. Texts no build refers to any more (their job was deleted) are swept when the
 * store opens.
 */
final class H2BuildScriptRepository implements BuildScriptRepository {
    private final Transactions tx;

    H2BuildScriptRepository(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public void attach(String job, int number, BuildScript script) {
        Objects.requireNonNull(script, "script");
        tx.run("recording the script of build " + job + " #" + number, c -> {
            long id = requireBuild(c, job, number);
            write(c, id, number, script);
            return null;
        });
    }

    @Override
    public BuildScript attachIfAbsent(String job, int number, String jobScript) {
        Objects.requireNonNull(jobScript, "jobScript");
        return tx.run("recording the script of build " + job + " #" + number, c -> {
            long id = requireBuild(c, job, number);
            Optional<BuildScript> existing = read(c, id, number);
            if (existing.isPresent()) {
                return existing.get();
            }
            BuildScript s = BuildScript.of(jobScript);
            write(c, id, number, s);
            return s;
        });
    }

    @Override
    public Optional<BuildScript> find(String job, int number) {
        Objects.requireNonNull(job, "job");
        return tx.run("reading the script of build " + job + " #" + number, c -> {
            OptionalLong id = Store.jobId(c, job, false);
            return id.isEmpty() ? Optional.<BuildScript>empty() : read(c, id.getAsLong(), number);
        });
    }

    @Override
    public int distinctScripts() {
        return tx.run("counting build scripts", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM build_scripts")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** Removes texts that no build refers to; returns how many. */
    int sweep() {
        return tx.run("removing scripts of deleted builds", c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("DELETE FROM build_scripts s WHERE NOT EXISTS (SELECT 1 FROM builds b WHERE b.script_hash = s.hash)");
            }
        });
    }

    private static long requireBuild(Connection c, String job, int number) throws SQLException {
        Objects.requireNonNull(job, "job");
        OptionalLong id = Store.jobId(c, job, false);
        if (id.isEmpty() || !H2BuildRepository.exists(c, id.getAsLong(), number)) {
            throw new NoSuchElementException("there is no build " + job + " #" + number);
        }
        return id.getAsLong();
    }

    private static void write(Connection c, long jobId, int number, BuildScript script) throws SQLException {
        if (script.script().length() > Json.MAX_TEXT) {
            throw new IllegalArgumentException("the script is " + script.script().length() + " characters; at most " + Json.MAX_TEXT + " are stored");
        }
        String hash = sha256(script.script());
        boolean stored;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM build_scripts WHERE hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                stored = rs.next();
            }
        }
        if (!stored) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO build_scripts (hash, script) VALUES (?, ?)")) {
                ps.setString(1, hash);
                ps.setString(2, script.script());
                ps.executeUpdate();
            } catch (SQLException e) {
                // Another build stored the same text meanwhile: that copy serves this build too.
                if (!Transactions.DUPLICATE_KEY.equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE builds SET script_hash = ?, origin_number = ?, restart_stage = ? WHERE job_id = ? AND number = ?")) {
            ps.setString(1, hash);
            ps.setObject(2, script.originNumber());
            ps.setString(3, script.restartStage());
            ps.setLong(4, jobId);
            ps.setInt(5, number);
            ps.executeUpdate();
        }
    }

    private static Optional<BuildScript> read(Connection c, long jobId, int number) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT s.script, b.origin_number, b.restart_stage FROM builds b"
                + " JOIN build_scripts s ON s.hash = b.script_hash WHERE b.job_id = ? AND b.number = ?")) {
            ps.setLong(1, jobId);
            ps.setInt(2, number);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int origin = rs.getInt(2);
                return Optional.of(new BuildScript(rs.getString(1), rs.wasNull() ? null : origin, rs.getString(3)));
            }
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256, which every Java runtime must have", e);
        }
    }
}
