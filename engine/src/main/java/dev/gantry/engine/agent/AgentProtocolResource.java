package dev.gantry.engine.agent;

import dev.gantry.engine.security.AgentEndpoint;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The agent protocol, version 3, under {@code /api/agent/v1} (docs/agent-protocol.md). Every
 * call names the agent ({@code X-Gantry-Agent}) and carries its secret
 * ({@code Authorization: Bearer}); calls after the handshake also carry the session. Public only
 * because Jersey invokes resource methods reflectively.
 */
@Singleton
@Path(AgentProtocol.BASE)
@Produces(MediaType.APPLICATION_JSON)
public final class AgentProtocolResource {
    private final AgentService agents;

    @Context
    private HttpServletRequest request;

    @Inject
    AgentProtocolResource(AgentService agents) {
        this.agents = agents;
    }

    @POST
    @Path("connect")
    @Consumes(MediaType.APPLICATION_JSON)
    @AgentEndpoint
    public Response connect(@HeaderParam(AgentProtocol.AGENT_HEADER) String name,
                            @HeaderParam(HttpHeaders.AUTHORIZATION) String auth, Map<String, Object> hello) {
        try {
            return Response.ok(agents.connect(name, secret(auth), hello == null ? Map.of() : hello, from())).build();
        } catch (AgentService.Refused e) {
            return refused(e);
        }
    }

    @POST
    @Path("disconnect")
    @AgentEndpoint
    public Response disconnect(@HeaderParam(AgentProtocol.AGENT_HEADER) String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                               @HeaderParam(AgentProtocol.SESSION_HEADER) String session) {
        try {
            agents.authenticate(name, secret(auth), session, from()).disconnect();
            return Response.noContent().build();
        } catch (AgentService.Refused e) {
            return refused(e);
        }
    }

    @POST
    @Path("poll")
    @Consumes(MediaType.APPLICATION_JSON)
    @AgentEndpoint
    public void poll(@HeaderParam(AgentProtocol.AGENT_HEADER) String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                     @HeaderParam(AgentProtocol.SESSION_HEADER) String session, @QueryParam("wait") Long waitMillis,
                     Map<String, Object> body, @Suspended AsyncResponse async) {
        RemoteAgent a;
        try {
            a = agents.authenticate(name, secret(auth), session, from());
        } catch (AgentService.Refused e) {
            async.resume(refused(e));
            return;
        }
        Set<String> known = ids(body, "known");
        a.dropUndelivered(known);
        long wait = waitMillis(waitMillis, AgentProtocol.MAX_POLL_MILLIS);
        if (wait == 0) {
            Map<String, Object> now = a.work(known);
            async.resume(Response.ok(now == null ? empty() : now).build());
            return;
        }
        park(async, wait, () -> Response.ok(empty()).build(), () -> a.poll(known, answer -> async.resume(answer == null
                ? refused(new AgentService.Refused(410, "session_ended", "the session of agent " + name + " ended; connect again"))
                : Response.ok(answer).build())));
    }

    @POST
    @Path("heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @AgentEndpoint
    public Response heartbeat(@HeaderParam(AgentProtocol.AGENT_HEADER) String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                              @HeaderParam(AgentProtocol.SESSION_HEADER) String session, Map<String, Object> body) {
        try {
            RemoteAgent a = agents.authenticate(name, secret(auth), session, from());
            Map<String, Object> b = body == null ? Map.of() : body;
            a.freeDisk(b.get("freeDiskBytes"));
            Map<String, Object> work = a.work(ids(b, "running"));
            return Response.ok(Map.of("cancel", work == null ? List.of() : work.get("cancel"),
                    "reattach", work == null ? List.of() : work.get("reattach"))).build();
        } catch (AgentService.Refused e) {
            return refused(e);
        }
    }

    @POST
    @Path("tasks/{id}/events")
    @Consumes(MediaType.APPLICATION_JSON)
    @AgentEndpoint
    public void events(@HeaderParam(AgentProtocol.AGENT_HEADER) String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                       @HeaderParam(AgentProtocol.SESSION_HEADER) String session, @PathParam("id") String id,
                       @QueryParam("wait") Long waitMillis, Map<String, Object> body, @Suspended AsyncResponse async) {
        Map<String, Object> b = body == null ? Map.of() : body;
        java.util.Iterator<TaskCall.Chunk> chunks = TaskCall.Chunk.fromJson(b.get("chunks")).iterator();
        events(name, auth, session, id, waitMillis, new Events() {
            @Override
            public Map<String, Object> header() {
                return b;
            }

            @Override
            public TaskCall.Chunk next() {
                return chunks.hasNext() ? chunks.next() : null;
            }
        }, async);
    }

    /** The same call with the binary body of protocol 3 ({@link EventFrames}): the log chunks as raw bytes. */
    @POST
    @Path("tasks/{id}/events")
    @Consumes(EventFrames.MEDIA_TYPE)
    @AgentEndpoint
    public void eventFrames(@HeaderParam(AgentProtocol.AGENT_HEADER) String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                            @HeaderParam(AgentProtocol.SESSION_HEADER) String session, @PathParam("id") String id,
                            @QueryParam("wait") Long waitMillis, InputStream body, @Suspended AsyncResponse async) {
        events(name, auth, session, id, waitMillis, new Events() {
            private EventFrames.Reader frames;

            @Override
            public Map<String, Object> header() throws IOException {
                // Read only once the call is authenticated.
                frames = new EventFrames.Reader(body);
                return frames.header();
            }

            @Override
            public TaskCall.Chunk next() throws IOException {
                return frames.next();
            }
        }, async);
    }

    /** The body of one events call: its header (read first), then its chunks as they arrive. */
    private interface Events {
        Map<String, Object> header() throws IOException;

        /** The next chunk, or null after the last. */
        TaskCall.Chunk next() throws IOException;
    }

    /**
     * Logs the chunks and takes the result. With {@code wait} (protocol 3) and a result taken, the
     * answer waits up to that long for the agent's next task and carries it, as a poll answer
     * does ({@code tasks}, {@code cancel}, {@code reattach}): the build's next step is submitted
     * while the agent waits for this answer, so a step costs one round trip instead of two.
     */
    private void events(String name, String auth, String session, String id, Long waitMillis, Events chunks, AsyncResponse async) {
        try {
            RemoteAgent a = agents.authenticate(name, secret(auth), session, from());
            Map<String, Object> b;
            try {
                b = chunks.header();
            } catch (IOException e) {
                throw new AgentService.Refused(400, "bad_events", "cannot read the events of task " + id + ": " + e.getMessage());
            }
            TaskCall call = a.call(id);
            TaskCall kept = call == null ? a.kept(id) : null;
            if (kept != null) {
                // Its result was taken already (the answer got lost): the agent keeps it still.
                drain(chunks);
                answer(a, id, b, waitMillis, Map.of("ack", kept.log(List.of(), 0), "keep", true), null, async);
                return;
            }
            if (call == null && a.claimable(id)) {
                // From before the controller restarted: a resuming build may claim it in a moment.
                throw new AgentService.Refused(409, "task_unclaimed", "no build has claimed task " + id
                        + " since the controller started; keep it and send again shortly");
            }
            if (call == null) {
                call = current(a, id);
            }
            long first = b.get("first") instanceof Number f ? f.longValue() : 0;
            long ack = call.log(List.of(), first);
            try {
                for (TaskCall.Chunk c = chunks.next(); c != null; c = chunks.next()) {
                    ack = call.log(List.of(c), first);
                }
            } catch (IOException e) {
                // What arrived whole is logged; the ack of the next call tells the agent where to go on.
                throw new AgentService.Refused(400, "bad_events", "the events of task " + id + " broke off after chunk "
                        + (ack - 1) + ": " + e.getMessage() + "; send them again from chunk " + ack);
            }
            if (b.get("result") instanceof Map<?, ?> result) {
                long end = result.get("seqEnd") instanceof Number n ? n.longValue() : ack;
                if (ack < end) {
                    // Not taken yet: chunks are missing (a re-attaching controller wants them from its ack on).
                    async.resume(Response.ok(Map.of("ack", ack)).build());
                    return;
                }
                boolean keep = call.retained();
                TaskCall taken = call;
                answer(a, id, b, waitMillis, keep ? Map.of("ack", ack, "keep", true) : Map.of("ack", ack), () -> {
                    taken.complete(result);
                    a.finished(taken);
                }, async);
                return;
            }
            async.resume(Response.ok(Map.of("ack", ack)).build());
        } catch (AgentService.Refused e) {
            async.resume(refused(e));
        }
    }

    /**
     * Answers an events call whose result was taken: at once, or (with {@code wait}) parked first
     * in line for the agent's next task, then {@code take} runs, so that the step that follows
     * finds the call parked.
     */
    private static void answer(RemoteAgent a, String id, Map<String, Object> b, Long waitMillis, Map<String, Object> base,
                               Runnable take, AsyncResponse async) {
        long wait = waitMillis(waitMillis, AgentProtocol.MAX_EVENTS_WAIT_MILLIS);
        if (wait == 0) {
            if (take != null) {
                take.run();
            }
            async.resume(Response.ok(base).build());
            return;
        }
        Set<String> known = new LinkedHashSet<>(ids(b, "known"));
        // The agent has this task until it reads the answer: it is not one to send or stop.
        known.add(id);
        // No next task in time: the tasks to forget, if any, go with the acknowledgement.
        park(async, wait, () -> Response.ok(with(base, a.work(known))).build(),
                () -> a.poll(known, true, work -> async.resume(Response.ok(with(base, work)).build())));
        if (take != null) {
            take.run();
        }
    }

    /**
     * Parks {@code async} for up to {@code wait} ms: {@code park} registers the waiter that answers
     * it and returns what withdraws that waiter. When the time runs out and the waiter is withdrawn
     * (it had not answered), {@code timedOut} answers instead.
     */
    private static void park(AsyncResponse async, long wait, Supplier<Response> timedOut, Supplier<BooleanSupplier> park) {
        AtomicReference<BooleanSupplier> withdraw = new AtomicReference<>();
        async.setTimeoutHandler(r -> {
            BooleanSupplier w = withdraw.get();
            if (w == null || w.getAsBoolean()) {
                r.resume(timedOut.get());
            }
        });
        async.setTimeout(wait, TimeUnit.MILLISECONDS);
        withdraw.set(park.get());
    }

    /** A call's {@code ?wait=}: none when absent or negative, at most {@code max}. */
    private static long waitMillis(Long asked, long max) {
        return Math.max(0, Math.min(asked == null ? 0 : asked, max));
    }

    /** {@code base} with the entries of {@code work} (null for none) added. */
    private static Map<String, Object> with(Map<String, Object> base, Map<String, Object> work) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        if (work != null) {
            m.putAll(work);
        }
        return m;
    }

    private static void drain(Events chunks) {
        try {
            while (chunks.next() != null) {
                // Sent again after a lost answer: logged already.
            }
        } catch (IOException e) {
            // The answer says what the controller has; the rest of the body does not matter.
        }
    }

    @GET
    @Path("tasks/{id}/input")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @AgentEndpoint
    public Response input(@HeaderParam(AgentProtocol.AGENT_HEADER) String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                          @HeaderParam(AgentProtocol.SESSION_HEADER) String session, @PathParam("id") String id,
                          @HeaderParam("Range") String range) {
        try {
            RemoteAgent a = agents.authenticate(name, secret(auth), session, from());
            TaskCall call = current(a, id);
            ReplayingSource source = call.inputSource();
            if (source == null) {
                throw new AgentService.Refused(409, "no_input", "task " + id + " has no input");
            }
            long offset = rangeStart(range);
            InputStream in;
            try {
                in = source.from(offset);
            } catch (IOException e) {
                throw new AgentService.Refused(416, "cannot_resume", "the input of task " + id + " " + e.getMessage());
            }
            StreamingOutput body = out -> in.transferTo(out);
            Response.ResponseBuilder r = offset == 0 ? Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                    : Response.status(206).entity(body).type(MediaType.APPLICATION_OCTET_STREAM_TYPE).header("Content-Range", "bytes " + offset + "-*/*");
            return r.header("Accept-Ranges", "bytes").build();
        } catch (AgentService.Refused e) {
            return refused(e);
        }
    }

    @GET
    @Path("tasks/{id}/output")
    @AgentEndpoint
    public Response outputState(@HeaderParam(AgentProtocol.AGENT_HEADER) String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                                @HeaderParam(AgentProtocol.SESSION_HEADER) String session, @PathParam("id") String id) {
        try {
            RemoteAgent a = agents.authenticate(name, secret(auth), session, from());
            TaskCall call = current(a, id);
            return Response.ok(Map.of("received", call.received(), "state", call.outputState().name().toLowerCase(java.util.Locale.ROOT))).build();
        } catch (AgentService.Refused e) {
            return refused(e);
        }
    }

    @PUT
    @Path("tasks/{id}/output")
    @Consumes(MediaType.WILDCARD)
    @AgentEndpoint
    public Response output(@HeaderParam(AgentProtocol.AGENT_HEADER) String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                           @HeaderParam(AgentProtocol.SESSION_HEADER) String session, @PathParam("id") String id,
                           @HeaderParam("Content-Range") String contentRange, InputStream body) {
        TaskCall call = null;
        try {
            RemoteAgent a = agents.authenticate(name, secret(auth), session, from());
            call = current(a, id);
            OutputStream out;
            try {
                out = call.claimOutput(rangeStart(contentRange));
            } catch (TaskCall.UploadRefused e) {
                throw new AgentService.Refused(e.status, e.code, e.getMessage());
            }
            if (out == null) {
                body.transferTo(OutputStream.nullOutputStream());
                return Response.noContent().build();
            }
            byte[] buf = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = body.read(buf);
                } catch (IOException e) {
                    // The connection broke: what arrived is kept, and the agent resumes at call.received().
                    call.outputInterrupted();
                    throw new AgentService.Refused(400, "upload_interrupted", "the upload of task " + id + " broke off at byte "
                            + call.received() + " (" + e.getMessage() + "); resume it there");
                }
                if (n < 0) {
                    break;
                }
                try {
                    out.write(buf, 0, n);
                } catch (IOException e) {
                    call.fail(new IOException("the upload of " + call.task + " from agent " + name + " could not be stored: " + e.getMessage(), e));
                    call.outputDone();
                    throw new AgentService.Refused(500, "upload_failed", "the upload of task " + id + " could not be stored: " + e.getMessage());
                }
                call.received(n);
            }
            try {
                out.close();
            } catch (IOException e) {
                call.fail(new IOException("the upload of " + call.task + " from agent " + name + " could not be stored: " + e.getMessage(), e));
                call.outputDone();
                throw new AgentService.Refused(500, "upload_failed", "the upload of task " + id + " could not be stored: " + e.getMessage());
            }
            call.outputDone();
            return Response.noContent().build();
        } catch (AgentService.Refused e) {
            return refused(e);
        } catch (IOException e) {
            if (call != null) {
                call.outputInterrupted();
            }
            return refused(new AgentService.Refused(400, "upload_interrupted", "the upload of task " + id + " broke off: " + e.getMessage()));
        }
    }

    /** The first byte of {@code bytes=N-} (Range) or {@code bytes N-*\/*} (Content-Range); 0 when absent. */
    static long rangeStart(String header) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bytes[= ](\\d+)-.*").matcher(header.trim());
        if (!m.matches()) {
            throw new AgentService.Refused(400, "bad_range", "cannot read the range '" + header + "'; send bytes=N- (GET) or bytes N-*/* (PUT)");
        }
        return Long.parseLong(m.group(1));
    }

    @GET
    @Path("plugins")
    @AgentEndpoint
    public Response plugins(@HeaderParam(AgentProtocol.AGENT_HEADER) String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                            @HeaderParam(AgentProtocol.SESSION_HEADER) String session) {
        try {
            agents.authenticate(name, secret(auth), session, from());
            return Response.ok(agents.shipping().manifest()).build();
        } catch (AgentService.Refused e) {
            return refused(e);
        } catch (IOException e) {
            return refused(new AgentService.Refused(500, "plugin_unreadable", "the controller cannot read its plugin jars: " + e.getMessage()));
        }
    }

    @GET
    @Path("plugins/{sha256}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    @AgentEndpoint
    public Response pluginJar(@HeaderParam(AgentProtocol.AGENT_HEADER) String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String auth,
                              @HeaderParam(AgentProtocol.SESSION_HEADER) String session, @PathParam("sha256") String sha256) {
        try {
            agents.authenticate(name, secret(auth), session, from());
            java.nio.file.Path jar = agents.shipping().jar(sha256);
            if (jar == null) {
                throw new AgentService.Refused(404, "no_such_plugin", "no plugin jar agents need has the SHA-256 " + sha256
                        + " (the plugin was upgraded, disabled or uninstalled meanwhile); fetch the list again with GET plugins");
            }
            long size = java.nio.file.Files.size(jar);
            StreamingOutput body = out -> {
                try (InputStream in = java.nio.file.Files.newInputStream(jar)) {
                    in.transferTo(out);
                }
            };
            return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE).header("Content-Length", size).build();
        } catch (AgentService.Refused e) {
            return refused(e);
        } catch (IOException e) {
            return refused(new AgentService.Refused(500, "plugin_unreadable", "the controller cannot read the plugin jar " + sha256 + ": " + e.getMessage()));
        }
    }

    private static TaskCall current(RemoteAgent a, String id) {
        TaskCall call = a.call(id);
        if (call == null) {
            throw new AgentService.Refused(404, "no_such_task", "task " + id + " is not a current task of agent " + a.name
                    + " (it ended, was cancelled, or belongs to another agent); stop it");
        }
        return call;
    }

    private String from() {
        return request == null ? "?" : request.getRemoteAddr() + ":" + request.getRemotePort();
    }

    private static String secret(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    @SuppressWarnings("unchecked")
    private static Set<String> ids(Map<String, Object> body, String key) {
        if (body != null && body.get(key) instanceof List<?> l) {
            Set<String> s = new LinkedHashSet<>();
            ((List<Object>) l).forEach(x -> s.add(String.valueOf(x)));
            return s;
        }
        return Set.of();
    }

    private static Map<String, Object> empty() {
        return Map.of("tasks", List.of(), "cancel", List.of());
    }

    static Response refused(AgentService.Refused e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", e.code);
        m.put("message", e.getMessage());
        return Response.status(e.status).type(MediaType.APPLICATION_JSON_TYPE).entity(m).build();
    }
}
