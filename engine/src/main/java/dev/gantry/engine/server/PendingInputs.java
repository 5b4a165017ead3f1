package dev.gantry.engine.server;

import dev.gantry.api.build.InputHandler;
import dev.gantry.api.build.InputRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The controller's {@link InputHandler}: an {@code input} step registers its request here and
 * waits until someone answers it over the REST API (or the build is aborted, or a
 * {@code timeout} around it fires, which interrupts the wait). A waiting build holds no executor
 * of the controller (builds' scripts run on threads of their own). Thread-safe.
 */
final class PendingInputs {
    private record Pending(InputRequest request, CompletableFuture<InputHandler.Answer> answer) {
    }

    private final Map<String, List<Pending>> byBuild = new ConcurrentHashMap<>();
    private static String key(String job, int number) {
        return job + "#" + number;
    }

    /** The handler for one build; {@code log} writes a line to its console log. */
    InputHandler handler(String job, int number, Consumer<String> log) {
        return request -> {
            Pending p = new Pending(request, new CompletableFuture<>());
            List<Pending> list = byBuild.computeIfAbsent(key(job, number), k -> new CopyOnWriteArrayList<>());
            synchronized (list) {
                if (list.stream().anyMatch(o -> o.request().id().equals(request.id()))) {
                    throw new dev.gantry.api.step.StepFailedException("input: another input with id '" + request.id()
                            + "' is already waiting in this build; give each concurrent input its own id: input id: '...', message: '...'");
                }
                // Logged (and flushed) before the input is listed: whoever sees it pending finds the reason in the log.
                log.accept("Waiting for input '" + request.id() + "': answer it with POST /api/v1/jobs/" + job + "/builds/" + number
                        + "/inputs/" + request.id() + "/proceed (or /abort), or gantry input " + job + "#" + number + " --proceed");
                list.add(p);
            }
            try {
                InputHandler.Answer a = p.answer().get();
                log.accept("Input '" + request.id() + "' " + (a.proceed() ? "proceeded" : "aborted") + " over the REST API by " + a.submitter());
                return a;
            } catch (ExecutionException e) {
                throw new IllegalStateException("input '" + request.id() + "' failed: " + e.getCause(), e.getCause());
            } finally {
                synchronized (list) {
                    list.remove(p);
                }
                byBuild.computeIfPresent(key(job, number), (k, l) -> l.isEmpty() ? null : l);
            }
        };
    }

    List<InputRequest> list(String job, int number) {
        List<InputRequest> out = new ArrayList<>();
        for (Pending p : byBuild.getOrDefault(key(job, number), List.of())) {
            out.add(p.request());
        }
        return out;
    }

    void proceed(String job, int number, String id, Map<String, Object> values, String submitter) {
        Pending p = find(job, number, id);
        String who = allowed(p.request(), submitter);
        Map<String, Object> checked = InputValues.check(p.request(), values == null ? Map.of() : values);
        answer(job, number, p, new InputHandler.Answer(true, checked, who, null));
    }

    void abort(String job, int number, String id, String submitter) {
        Pending p = find(job, number, id);
        String who = allowed(p.request(), submitter);
        answer(job, number, p, new InputHandler.Answer(false, Map.of(), who, null));
    }

    private static void answer(String job, int number, Pending p, InputHandler.Answer a) {
        if (!p.answer().complete(a)) {
            throw new IllegalStateException("input '" + p.request().id() + "' of " + job + " #" + number + " was answered already");
        }
    }

    private Pending find(String job, int number, String id) {
        List<Pending> list = byBuild.getOrDefault(key(job, number), List.of());
        for (Pending p : list) {
            if (p.request().id().equals(id)) {
                return p;
            }
        }
        List<String> ids = list.stream().map(p -> p.request().id()).toList();
        throw new NoSuchElementException("build " + job + " #" + number + " is not waiting for an input '" + id + "'"
                + (ids.isEmpty() ? "; it waits for no input now" : "; it waits for: " + String.join(", ", ids)));
    }

    /** The submitter's name, when the input lets them answer. */
    private static String allowed(InputRequest r, String submitter) {
        String who = submitter == null || submitter.isBlank() ? "anonymous" : submitter.trim();
        if (!BuildControl.maySubmit(r.submitter(), who)) {
            List<String> names = java.util.Arrays.stream(r.submitter().split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
            throw new BuildControl.InputForbiddenException("input '" + r.id() + "' may only be answered by " + String.join(", ", names)
                    + "; " + who + " is not one of them (sign in as one of them to answer it)");
        }
        return who;
    }
}
