package dev.gantry.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaMigrationTest {
    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__\\w+\\.sql");

    @TempDir
    Path temp;

    @Test
    void schemaVersionConstantIsTheNewestMigration() throws Exception {
        Path dir = Path.of(Store.class.getResource("/db/migration").toURI());
        List<Integer> versions;
        try (Stream<Path> files = Files.list(dir)) {
            versions = files.map(p -> MIGRATION.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches).map(m -> Integer.parseInt(m.group(1))).sorted(Comparator.reverseOrder()).toList();
        }
        assertTrue(!versions.isEmpty(), "no V<n>__name.sql migrations in " + dir);
        assertEquals(String.valueOf(versions.get(0)), Store.SCHEMA_VERSION,
                "Store.SCHEMA_VERSION must name the newest migration, or Store.open skips it on existing homes");
    }

    @Test
    void aDatabaseFromANewerGantryIsRefusedWithAMessage() throws Exception {
        Path home = temp.resolve("home");
        Store.open(home).close();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("db/gantry"), "gantry", "");
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\", \"script\", \"checksum\","
                    + " \"installed_by\", \"execution_time\", \"success\") VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'x', 0, TRUE)");
        }
        StoreException e = assertThrows(StoreException.class, () -> Store.open(home));
        assertTrue(e.getMessage().contains(home.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("schema version 99") && e.getMessage().contains("newer Gantry"), e.getMessage());
    }

    @Test
    void versionsCompareNumerically() {
        assertTrue(Store.newer("10", "9"));
        assertTrue(Store.newer("1.1", "1"));
        assertTrue(!Store.newer("1", "1"));
        assertTrue(!Store.newer("2", "10"));
    }
}
