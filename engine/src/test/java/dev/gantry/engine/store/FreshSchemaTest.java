package dev.gantry.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new home's schema made without Flyway is the one Flyway makes, and Flyway takes it over. */
class FreshSchemaTest {
    @TempDir
    Path tmp;

    private static String url(Path home) {
        return "jdbc:h2:" + home.resolve("db").resolve("gantry") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @Test
    void theSchemaAndHistoryAreExactlyWhatFlywayMakes() throws Exception {
        Path fast = tmp.resolve("fast");
        Store.open(fast).close();

        Path byFlyway = tmp.resolve("flyway");
        Files.createDirectories(byFlyway.resolve("db"));
        Flyway.configure(Store.class.getClassLoader()).dataSource(url(byFlyway), "gantry", "").locations("classpath:db/migration").load().migrate();

        assertEquals(schema(byFlyway), schema(fast));
        List<String> expected = history(byFlyway);
        assertEquals(expected, history(fast));
        assertEquals(FreshSchema.migrations().size() + 1, expected.size(), expected.toString());
        assertTrue(expected.get(expected.size() - 1).startsWith(Store.SCHEMA_VERSION + "|"), "the newest migration is Store.SCHEMA_VERSION: " + expected);
    }

    @Test
    void flywayValidatesTheFastSchemaAndFindsNothingToDo() throws Exception {
        Path fast = tmp.resolve("fast");
        Store.open(fast).close();
        Flyway flyway = Flyway.configure(Store.class.getClassLoader()).dataSource(url(fast), "gantry", "").locations("classpath:db/migration").load();
        ValidateResult v = flyway.validateWithResult();
        assertTrue(v.validationSuccessful, String.valueOf(v.invalidMigrations));
        assertEquals(0, flyway.migrate().migrationsExecuted);
    }

    @Test
    void aHomeMissingAnOlderMigrationGetsItOutOfOrder() throws Exception {
        // A release had V12 while V10 was written on a branch: a home made then lacks V10 only.
        List<FreshSchema.Migration> known = FreshSchema.migrations();
        FreshSchema.Migration missing = known.get(known.size() - 2);
        Path scripts = tmp.resolve("older-release");
        Files.createDirectories(scripts);
        for (FreshSchema.Migration m : known) {
            if (m != missing) {
                try (var in = Store.class.getClassLoader().getResourceAsStream(FreshSchema.LOCATION + m.script())) {
                    Files.copy(in, scripts.resolve(m.script()));
                }
            }
        }
        Path home = tmp.resolve("older");
        Files.createDirectories(home.resolve("db"));
        Flyway.configure(Store.class.getClassLoader()).dataSource(url(home), "gantry", "").locations("filesystem:" + scripts).load().migrate();
        assertFalse(history(home).stream().anyMatch(r -> r.startsWith(missing.version() + "|")));

        Store.open(home).close();
        assertTrue(history(home).stream().anyMatch(r -> r.startsWith(missing.version() + "|") && r.endsWith("|true")), history(home).toString());
        Path fresh = tmp.resolve("fresh");
        Store.open(fresh).close();
        List<String> a = schema(home);
        List<String> b = schema(fresh);
        a.removeIf(l -> l.startsWith("-- "));
        b.removeIf(l -> l.startsWith("-- "));
        assertEquals(new java.util.TreeSet<>(b), new java.util.TreeSet<>(a), "the same tables, columns and constraints, whatever the order");
    }

    @Test
    void aDatabaseWithAnyTableIsLeftToFlyway() throws Exception {
        Path home = tmp.resolve("other");
        Files.createDirectories(home.resolve("db"));
        try (Connection c = DriverManager.getConnection(url(home), "gantry", "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE somebody_elses (x INT)");
            }
            assertFalse(FreshSchema.createIfEmpty(c));
        }
    }

    @Test
    void checksumsIgnoreLineEndingsAndAByteOrderMark() {
        int lf = FreshSchema.checksum("CREATE TABLE a (x INT);\nCREATE TABLE b (y INT);\n");
        assertEquals(lf, FreshSchema.checksum("CREATE TABLE a (x INT);\r\nCREATE TABLE b (y INT);\r\n"));
        assertEquals(lf, FreshSchema.checksum("\uFEFFCREATE TABLE a (x INT);\nCREATE TABLE b (y INT);"));
        assertFalse(lf == FreshSchema.checksum("CREATE TABLE a (x INT);\nCREATE TABLE b (z INT);\n"));
    }

    /** The schema as H2 scripts it, without the user line (its salt differs each time) and the connection's settings. */
    private static List<String> schema(Path home) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url(home), "gantry", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SCRIPT NODATA")) {
            while (rs.next()) {
                String line = rs.getString(1);
                if (!line.startsWith("CREATE USER") && !line.startsWith("SET WRITE_DELAY")) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    private static List<String> history(Path home) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url(home), "gantry", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"installed_rank\", \"version\", \"description\", \"type\", \"script\", \"checksum\","
                     + " \"installed_by\", \"success\" FROM \"flyway_schema_history\" ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                rows.add(rs.getString(2) + "|" + rs.getInt(1) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|" + rs.getString(5)
                        + "|" + rs.getObject(6) + "|" + rs.getString(7) + "|" + rs.getBoolean(8));
            }
        }
        return rows;
    }
}
