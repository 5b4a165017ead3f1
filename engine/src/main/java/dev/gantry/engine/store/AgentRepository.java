package dev.gantry.engine.store;

import java.util.List;

/** The registered agents ({@code agents} table). Thread-safe. */
public interface AgentRepository {

    /** Every agent, by name. */
    List<AgentRecord> list();

    /**
     * Stores a new agent.
     *
     * @return false when an agent of that name exists already (nothing is changed)
     */
    boolean create(AgentRecord agent);

    /** Deletes an agent; false when there was none. */
    boolean delete(String name);
}
