package dev.gantry.engine.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Constants of the agent protocol under {@code /api/agent/v1}, shared by the controller and the
 * agent process. docs/agent-protocol.md is the description; this is what both sides compile against.
 */
public final class AgentProtocol {
    /**
     * The protocol version; the handshake refuses any other. Bumped on incompatible changes: 3
     * added the binary events body and events answers that carry the agent's next task.
     */
    public static final int VERSION = 3;
    /** The base path of every protocol call. */
    public static final String BASE = "api/agent/v1";
    /** Who calls: the agent's name. */
    static final String AGENT_HEADER = "X-Gantry-Agent";
    /** The session the handshake issued. */
    static final String SESSION_HEADER = "X-Gantry-Session";
    /** A fresh id per call attempt chain: a retry of the same call sends the same id. */
    static final String CALL_HEADER = "X-Gantry-Call";
    /** Log streams of a task. */
    static final String OUT = "out";
    static final String ERR = "err";
    /** The longest long poll a controller holds open. */
    static final long MAX_POLL_MILLIS = 60_000;
    /** The longest an events call that delivered a result waits for the agent's next task. */
    static final long MAX_EVENTS_WAIT_MILLIS = 5_000;

    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private AgentProtocol() {
    }
}
