package dev.gantry.engine.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Agents in the {@code agents} table; labels are stored space-separated (a label has no spaces). */
final class H2AgentRepository implements AgentRepository {
    private final Transactions tx;

    H2AgentRepository(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public List<AgentRecord> list() {
        return tx.run("listing agents", c -> {
            List<AgentRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, labels, executors, secret_hash, created FROM agents ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String labels = rs.getString("labels");
                    out.add(new AgentRecord(rs.getString("name"),
                            labels.isEmpty() ? List.of() : Arrays.asList(labels.split(" ")),
                            rs.getInt("executors"), rs.getString("secret_hash"), Transactions.instant(rs, "created")));
                }
            }
            return out;
        });
    }

    @Override
    public boolean create(AgentRecord a) {
        try {
            return tx.run("creating agent '" + a.name() + "'", c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO agents (name, labels, executors, secret_hash, created) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, a.name());
                    ps.setString(2, String.join(" ", a.labels()));
                    ps.setInt(3, a.executors());
                    ps.setString(4, a.secretHash());
                    ps.setObject(5, Transactions.timestamp(a.created()));
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
    public boolean delete(String name) {
        return tx.run("deleting agent '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM agents WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() > 0;
            }
        });
    }
}
