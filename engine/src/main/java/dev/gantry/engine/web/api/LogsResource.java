package dev.gantry.engine.web.api;

import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.Requires;
import dev.gantry.engine.server.BuildLogs;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildStatus;
import dev.gantry.engine.store.LogIndex;
import dev.gantry.engine.store.Streams;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log endpoints beyond {@code GET .../log} itself: the log as server-sent events, the step
 * tree with durations, one step's (or stage's) log; and the plain-text log's answer, which
 * {@link JobsResource} delegates to. Logs are bytes: text answers carry them exactly as written
 * ({@code text/plain} with {@code nosniff}, never decoded or escaped). Public only because Jersey
 * invokes resource methods reflectively.
 */
@Singleton
@Path("api/v1")
public final class LogsResource {
    static final String TEXT = "text/plain; charset=UTF-8";
    static final String EVENTS = "text/event-stream";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    private final Controller controller;

    @Inject
    LogsResource(Controller controller) {
        this.controller = controller;
    }

    /** {@code GET .../log/stream}: the log as server-sent events, from {@code Last-Event-ID} or {@code ?start=}. */
    @GET
    @Path("jobs/" + JobsResource.NAME + "/builds/" + JobsResource.NUMBER + "/log/stream")
    @Produces({EVENTS, MediaType.APPLICATION_JSON})
    @Requires(value = Permission.READ, on = Requires.Scope.JOB)
    public void stream(@PathParam("name") String name, @PathParam("number") int number,
                       @HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("start") String start,
                       @QueryParam("steps") String steps, @Suspended AsyncResponse async) {
        try {
            existingBuild(controller, name, number);
            BuildLogs logs = logs(controller);
            long from = lastEventId != null && !lastEventId.isBlank() ? offset("header 'Last-Event-ID'", lastEventId.trim()) : offset("query parameter 'start'", start);
            // Suspended (see LogEvents.open): the follower may end the stream at once for a completed build.
            LogEvents.open(controller, logs, name, number, from, "true".equals(steps), out -> async.resume(Response.ok(out, EVENTS)
                    .header("Cache-Control", "no-cache")
                    .header("X-Accel-Buffering", "no")
                    .header("X-Content-Type-Options", "nosniff")
                    .build()));
        } catch (RuntimeException e) {
            async.resume(e);
        }
    }

    /** {@code GET .../log} with {@code Accept: text/event-stream}: the same as {@code .../log/stream}. */
    @GET
    @Path("jobs/" + JobsResource.NAME + "/builds/" + JobsResource.NUMBER + "/log")
    @Produces(EVENTS)
    @Requires(value = Permission.READ, on = Requires.Scope.JOB)
    public void logEvents(@PathParam("name") String name, @PathParam("number") int number,
                          @HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("start") String start,
                          @QueryParam("steps") String steps, @Suspended AsyncResponse async) {
        stream(name, number, lastEventId, start, steps, async);
    }

    /** {@code GET .../steps}: every stage and step of the build with status and duration, in start order. */
    @GET
    @Path("jobs/" + JobsResource.NAME + "/builds/" + JobsResource.NUMBER + "/steps")
    @Produces(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.READ, on = Requires.Scope.JOB)
    public Map<String, Object> steps(@PathParam("name") String name, @PathParam("number") int number) {
        BuildRecord b = existingBuild(controller, name, number);
        boolean running = b.status() != BuildStatus.COMPLETED;
        LogIndex index = index(name, number);
        long now = System.currentTimeMillis();
        List<Object> nodes = new ArrayList<>();
        for (LogIndex.Node n : index.nodes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.id());
            m.put("kind", n.kind() == LogIndex.Kind.STAGE ? "stage" : "step");
            m.put("name", n.name());
            m.put("parent", n.parent());
            m.put("stage", n.stage());
            m.put("status", n.status() != null ? n.status() : running ? "RUNNING" : null);
            m.put("startedAt", Instant.ofEpochMilli(n.startMillis()).toString());
            m.put("durationMillis", n.durationMillis() >= 0 ? n.durationMillis() : running ? Math.max(0, now - n.startMillis()) : null);
            m.put("logBytes", n.bytes());
            nodes.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("number", number);
        out.put("status", b.status().name());
        out.put("steps", nodes);
        return out;
    }

    /** {@code GET .../steps/{id}/log}: the bytes one step or stage wrote, with everything inside it. */
    @GET
    @Path("jobs/" + JobsResource.NAME + "/builds/" + JobsResource.NUMBER + "/steps/{id: .+}/log")
    @Produces({TEXT, MediaType.APPLICATION_JSON})
    @Requires(value = Permission.READ, on = Requires.Scope.JOB)
    public Response stepLog(@PathParam("name") String name, @PathParam("number") int number, @PathParam("id") String id,
                            @QueryParam("download") String download) {
        BuildRecord b = existingBuild(controller, name, number);
        LogIndex index = index(name, number);
        Optional<LogIndex.Node> node = index.node(id);
        if (node.isEmpty()) {
            throw ApiException.notFound("build #" + number + " of job '" + name + "' has no step or stage '" + id
                    + "' (yet); GET .../builds/" + number + "/steps lists them");
        }
        List<LogIndex.Range> ranges = index.ranges(id);
        long length = ranges.stream().mapToLong(LogIndex.Range::length).sum();
        BuildLogs logs = logs(controller);
        StreamingOutput body = out -> {
            try (InputStream in = logs.read(name, number, ranges)) {
                Streams.copy(in, out, length);
            }
        };
        boolean more = b.status() != BuildStatus.COMPLETED && node.get().status() == null;
        Response.ResponseBuilder r = Response.ok(body, TEXT)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Gantry-Log-Size", length)
                .header("X-Gantry-More-Data", Boolean.toString(more));
        if (isTrue(download)) {
            r.header("Content-Disposition", "attachment; filename=\"" + fileName(name + "-" + number + "-" + id) + ".log\"");
        }
        return r.build();
    }

    /**
     * The answer of {@code GET .../log}: bytes from {@code ?start=} (or one {@code Range: bytes=}
     * range, 206), with the offset to ask from next and whether more is coming.
     */
    static Response text(Controller controller, BuildRecord build, String name, int number, String startParam, String range, String download) {
        boolean more = build.status() != BuildStatus.COMPLETED;
        long size;
        try {
            size = controller.logSize(name, number);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log size of " + name + " #" + number, e);
        }
        long from = Math.min(offset("query parameter 'start'", startParam), size);
        long to = size;
        int status = 200;
        Matcher m = range == null ? null : RANGE.matcher(range.trim());
        if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            long first;
            long last;
            if (m.group(1).isEmpty()) {
                first = Math.max(0, size - Long.parseLong(m.group(2)));
                last = size - 1;
            } else {
                first = Long.parseLong(m.group(1));
                last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            }
            if (first >= size || last < first) {
                return Response.status(416).header("Content-Range", "bytes */" + size)
                        .header("X-Gantry-Log-Size", size).header("X-Gantry-More-Data", Boolean.toString(more))
                        .type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(Map.of("code", "range_not_satisfiable", "message", "the log of " + name + " #" + number + " has " + size
                                + " bytes so far; range '" + range + "' starts after them" + (more ? " (the build is still running: ask again later)" : "")))
                        .build();
            }
            from = first;
            to = last + 1;
            status = 206;
        }
        long start = from;
        long length = to - from;
        StreamingOutput body = out -> {
            if (length > 0) {
                try (InputStream in = controller.log(name, number, start)) {
                    Streams.copy(in, out, length);
                }
            }
        };
        Response.ResponseBuilder r = Response.status(status).entity(body).type(TEXT)
                .header("X-Content-Type-Options", "nosniff")
                .header("Accept-Ranges", "bytes")
                .header("X-Text-Size", to)
                .header("X-Gantry-Log-Size", size)
                .header("X-Gantry-Next-Offset", to)
                .header("X-Gantry-More-Data", Boolean.toString(more));
        if (status == 206) {
            r.header("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + (more ? "*" : Long.toString(size)));
        }
        if (more) {
            r.header("X-More-Data", "true");
        }
        if (isTrue(download)) {
            r.header("Content-Disposition", "attachment; filename=\"" + fileName(name + "-" + number) + ".log\"");
        }
        controller.buildLogs().flatMap(l -> l.failure(name, number))
                .ifPresent(f -> r.header("X-Gantry-Log-Error", f.replaceAll("[^\\x20-\\x7e]", "?")));
        return r.build();
    }

    /** A file name of letters, digits, '.', '_' and '-' only: folders become '-', anything else '_'. */
    static String fileName(String s) {
        String name = s.replace('/', '-').replaceAll("[^A-Za-z0-9._-]", "_");
        name = name.replaceAll("^[.]+", "_");
        return name.length() > 200 ? name.substring(0, 200) : name;
    }

    private static boolean isTrue(String v) {
        return v != null && (v.equalsIgnoreCase("true") || v.equals("1") || v.isEmpty());
    }

    private LogIndex index(String name, int number) {
        try {
            return logs(controller).index(name, number);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the log index of " + name + " #" + number + ": " + e.getMessage(), e);
        }
    }

    private static BuildLogs logs(Controller controller) {
        return controller.buildLogs().orElseThrow(() -> new ApiException(501, "not_supported", "this controller keeps no log index"));
    }

    static BuildRecord existingBuild(Controller controller, String name, int number) {
        JobsResource.checkName(name);
        Optional<BuildRecord> b = controller.build(name, number);
        if (b.isPresent()) {
            return b.get();
        }
        if (controller.job(name).isEmpty()) {
            throw ApiException.notFound("there is no job '" + name + "'");
        }
        throw ApiException.notFound("job '" + name + "' has no build #" + number);
    }

    static long offset(String what, String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            long v = Long.parseLong(value);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("invalid_parameter", what + " must be a byte offset of at least 0, got '" + value + "'");
    }
}
