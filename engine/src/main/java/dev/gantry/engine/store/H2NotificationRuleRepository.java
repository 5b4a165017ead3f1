package dev.gantry.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** Notification rules in {@code notification_rules}, one JSON list per job or folder. */
final class H2NotificationRuleRepository implements NotificationRuleRepository {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<NotificationRule>> RULES = new TypeReference<>() { };
    private final Transactions tx;

    H2NotificationRuleRepository(Transactions tx) {
        this.tx = tx;
    }

    /** The job's or folder's id: which column, which id. */
    private record Owner(String column, long id) {
    }

    private static Owner owner(Connection c, String name) throws SQLException {
        OptionalLong job = Store.jobId(c, name, false);
        if (job.isPresent()) {
            return new Owner("job_id", job.getAsLong());
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM folders WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new Owner("folder_id", rs.getLong(1));
                }
            }
        }
        throw new NoSuchElementException("there is no job or folder '" + name + "'");
    }

    @Override
    public List<NotificationRule> of(String name) {
        Objects.requireNonNull(name, "name");
        return tx.run("reading the notification rules of '" + name + "'", c -> read(c, owner(c, name)));
    }

    private static List<NotificationRule> read(Connection c, Owner o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT rules FROM notification_rules WHERE " + o.column() + " = ?")) {
            ps.setLong(1, o.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? parse(rs.getString(1)) : List.of();
            }
        }
    }

    @Override
    public void replace(String name, List<NotificationRule> rules) {
        Objects.requireNonNull(name, "name");
        String json;
        try {
            json = MAPPER.writeValueAsString(rules);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the notification rules of '" + name + "' cannot be stored as JSON: " + e.getOriginalMessage(), e);
        }
        if (json.length() > Json.MAX_TEXT) {
            throw new IllegalArgumentException("the notification rules of '" + name + "' are " + json.length() + " characters as JSON; at most "
                    + Json.MAX_TEXT + " are stored");
        }
        tx.run("saving the notification rules of '" + name + "'", c -> {
            Owner o = owner(c, name);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM notification_rules WHERE " + o.column() + " = ?")) {
                ps.setLong(1, o.id());
                ps.executeUpdate();
            }
            if (!rules.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification_rules (" + o.column() + ", rules, updated) VALUES (?, ?, ?)")) {
                    ps.setLong(1, o.id());
                    ps.setString(2, json);
                    ps.setObject(3, Transactions.timestamp(Instant.now()));
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public List<NotificationRule> effective(String job) {
        Objects.requireNonNull(job, "job");
        return tx.run("reading the notification rules for '" + job + "'", c -> {
            List<NotificationRule> out = new ArrayList<>();
            OptionalLong id = Store.jobId(c, job, false);
            if (id.isPresent()) {
                out.addAll(read(c, new Owner("job_id", id.getAsLong())));
            }
            for (int slash = job.lastIndexOf('/'); slash > 0; slash = job.lastIndexOf('/', slash - 1)) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT r.rules FROM notification_rules r JOIN folders f ON f.id = r.folder_id WHERE f.name = ?")) {
                    ps.setString(1, job.substring(0, slash));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            out.addAll(parse(rs.getString(1)));
                        }
                    }
                }
            }
            return out;
        });
    }

    private static List<NotificationRule> parse(String json) {
        try {
            return MAPPER.readValue(json, RULES);
        } catch (JsonProcessingException e) {
            throw new StoreException("the notification_rules.rules column holds JSON that cannot be read: " + e.getOriginalMessage(), e);
        }
    }
}
