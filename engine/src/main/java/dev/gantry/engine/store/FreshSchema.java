package dev.gantry.engine.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Creates the schema of a new, empty database without Flyway, which costs a fresh home ~0.2 s of
 * the one second the controller has to be ready in (loading and configuring itself, scanning,
 * locking its history table). It runs the same migration scripts in the same order and records
 * each in {@code flyway_schema_history} exactly as Flyway does (same table, same description,
 * type and checksum), so that Flyway takes over for every later migration as if it had made the
 * database itself; a test compares both ways, and Flyway's own validation accepts the result.
 *
 * <p>Only for a database without any table: anything else (an older schema, a failed migration)
 * is Flyway's.
 */
final class FreshSchema {
    static final String LOCATION = "db/migration/";
    private static final Pattern NAME = Pattern.compile("V(\\d+(?:[._]\\d+)*)__(.+)\\.sql");

    /** One versioned migration script. */
    record Migration(String version, String description, String script) {
    }

    private FreshSchema() {
    }

    /**
     * Creates the schema if the database has no table at all.
     *
     * @return false when the database is not empty or the migration scripts cannot be listed (then
     *     Flyway does the work); true when the schema was created
     * @throws SQLException naming the script that failed
     */
    static boolean createIfEmpty(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            rs.next();
            if (rs.getInt(1) != 0) {
                return false;
            }
        }
        List<Migration> migrations = migrations();
        if (migrations.isEmpty()) {
            return false;
        }
        String user;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER")) {
            rs.next();
            user = rs.getString(1);
        }
        // Each DDL statement commits, and with WRITE_DELAY 0 each commit writes the file: forty of
        // them for a new schema. Written once at the end instead (a crash in between leaves a
        // database Flyway's history shows half made, as a crash inside Flyway would).
        try (Statement s = c.createStatement()) {
            s.execute("SET WRITE_DELAY 60000");
        }
        try {
            create(c, migrations, user);
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute("SET WRITE_DELAY 0");
                s.execute("CHECKPOINT");
            }
        }
        return true;
    }

    private static void create(Connection c, List<Migration> migrations, String user) throws SQLException {
        try (Statement s = c.createStatement()) {
            // What Flyway 13 creates on H2 (see FreshSchemaTest, which compares the two).
            s.execute("CREATE TABLE \"PUBLIC\".\"flyway_schema_history\" (\"installed_rank\" INT NOT NULL, \"version\" VARCHAR(50),"
                    + " \"description\" VARCHAR(200) NOT NULL, \"type\" VARCHAR(20) NOT NULL, \"script\" VARCHAR(1000) NOT NULL,"
                    + " \"checksum\" INT, \"installed_by\" VARCHAR(100) NOT NULL, \"installed_on\" TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,"
                    + " \"execution_time\" INT NOT NULL, \"success\" BOOLEAN NOT NULL)");
            s.execute("ALTER TABLE \"PUBLIC\".\"flyway_schema_history\" ADD CONSTRAINT \"flyway_schema_history_pk\" PRIMARY KEY (\"installed_rank\")");
            s.execute("CREATE INDEX \"PUBLIC\".\"flyway_schema_history_s_idx\" ON \"PUBLIC\".\"flyway_schema_history\" (\"success\")");
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO \"PUBLIC\".\"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\","
                + " \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, TRUE)")) {
            record(p, -1, null, "<< Flyway Schema History table created >>", "TABLE", "", null, user, 0);
            int rank = 1;
            for (Migration m : migrations) {
                String text = read(m.script());
                long start = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    s.execute(text);
                } catch (SQLException e) {
                    throw new SQLException("migration " + m.script() + " failed: " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
                }
                record(p, rank++, m.version(), m.description(), "SQL", m.script(), checksum(text), user,
                        (int) ((System.nanoTime() - start) / 1_000_000));
            }
        }
    }

    private static void record(PreparedStatement p, int rank, String version, String description, String type, String script,
            Integer checksum, String user, int millis) throws SQLException {
        p.setInt(1, rank);
        p.setString(2, version);
        p.setString(3, description);
        p.setString(4, type);
        p.setString(5, script);
        if (checksum == null) {
            p.setNull(6, java.sql.Types.INTEGER);
        } else {
            p.setInt(6, checksum);
        }
        p.setString(7, user);
        p.setInt(8, millis);
        p.executeUpdate();
    }

    /**
     * Flyway's checksum of a script: CRC-32 over its lines' UTF-8 bytes without line endings
     * (so it does not depend on them), a byte-order mark left out.
     */
    static int checksum(String text) {
        CRC32 crc = new CRC32();
        try (BufferedReader r = new BufferedReader(new java.io.StringReader(text))) {
            boolean first = true;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (first && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                first = false;
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }

    /** The migration scripts next to this class (in its jar or folder), by version; empty when they cannot be listed. */
    static List<Migration> migrations() {
        // Listed once per process: every start of a store asks (is the schema current?), and the
        // scripts a running engine ships never change.
        List<Migration> m = known;
        if (m == null) {
            m = List.copyOf(list());
            known = m;
        }
        return m;
    }

    private static volatile List<Migration> known;

    private static List<Migration> list() {
        List<String> names = new ArrayList<>();
        try {
            Path where = Path.of(FreshSchema.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(where)) {
                Path dir = where.resolve(LOCATION);
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.list(dir)) {
                        files.forEach(f -> names.add(f.getFileName().toString()));
                    }
                }
            } else {
                try (JarFile jar = new JarFile(where.toFile(), false)) {
                    jar.stream().map(e -> e.getName()).filter(n -> n.startsWith(LOCATION) && n.indexOf('/', LOCATION.length()) < 0)
                            .forEach(n -> names.add(n.substring(LOCATION.length())));
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return List.of();
        }
        List<Migration> out = new ArrayList<>();
        for (String n : names) {
            Matcher m = NAME.matcher(n);
            if (m.matches()) {
                out.add(new Migration(m.group(1).replace('_', '.'), m.group(2).replace('_', ' '), n));
            } else if (!n.isEmpty()) {
                return List.of(); // something Flyway would read differently (a repeatable or undo script): leave it to Flyway
            }
        }
        out.sort(Comparator.comparing(Migration::version, FreshSchema::compareVersions));
        return out;
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = (i < x.length ? new BigInteger(x[i]) : BigInteger.ZERO).compareTo(i < y.length ? new BigInteger(y[i]) : BigInteger.ZERO);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static String read(String script) {
        try (InputStream in = FreshSchema.class.getClassLoader().getResourceAsStream(LOCATION + script)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("the migration " + LOCATION + script + " is missing from the class path"));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the migration " + LOCATION + script + ": " + e.getMessage(), e);
        }
    }
}
