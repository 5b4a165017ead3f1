package dev.gantry.engine.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Runs each repository call as one transaction on a pooled connection: H2 embedded connections
 * are cheap, but reusing a few keeps per-call cost at microseconds.
 */
final class Transactions {
    /** SQLSTATE of a unique or primary key violation. */
    static final String DUPLICATE_KEY = "23505";

    interface Work<T, E extends Exception> {
        T run(Connection connection) throws SQLException, E;
    }

    private final JdbcConnectionPool pool;
    private final String where;
    private volatile boolean closed;

    Transactions(JdbcConnectionPool pool, String where) {
        this.pool = pool;
        this.where = where;
    }

    /** Runs {@code work}, commits, and rolls back on any exception (which is rethrown). */
    <T, E extends Exception> T run(String operation, Work<T, E> work) throws E {
        if (closed) {
            throw new IllegalStateException("the store at " + where + " is closed; " + operation + " needs an open store");
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Exception | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(operation + " failed in the database at " + where + ": " + e.getMessage(), e);
        }
    }

    void close() {
        closed = true;
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
