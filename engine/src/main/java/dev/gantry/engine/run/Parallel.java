package dev.gantry.engine.run;

import dev.gantry.api.Result;
import dev.gantry.api.step.Body;
import dev.gantry.api.step.ContextChange;
import dev.gantry.api.step.FlowInterruptedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Runs parallel branches, each on its own virtual thread, in its own cancellation scope and id
 * scope ({@code <stepId>[<branch>]}). With fail-fast, the first failure cancels the siblings
 * (ABORTED, "Failed in branch X"). Waits for every branch, even when the caller is interrupted,
 * so no branch outlives its parallel.
 */
final class Parallel {
    private Parallel() {
    }

    static Map<String, Object> run(FlowContext parent, String stepId, Map<String, Body> branches, boolean failFast) {
        Map<String, Function<FlowContext, Object>> tasks = new LinkedHashMap<>();
        branches.forEach((name, body) -> tasks.put(name, ctx -> ((ClosureBody) body).runIn(ctx, ContextChange.NONE, ctx.idScope, 0)));
        return runTasks(parent, stepId, tasks, failFast, v -> false);
    }

    /**
     * Runs {@code tasks} as branches.
     *
     * @param failed tells whether a branch's value means it failed (declarative stages return
     *     their result instead of throwing)
     */
    static Map<String, Object> runTasks(FlowContext parent, String stepId, Map<String, Function<FlowContext, Object>> tasks,
                                        boolean failFast, java.util.function.Predicate<Object> failed) {
        Map<String, Object> results = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, CancellationScope> scopes = new LinkedHashMap<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<String> failedBranches = new CopyOnWriteArrayList<>();
        Map<String, Thread> threads = new LinkedHashMap<>();
        for (String name : tasks.keySet()) {
            scopes.put(name, new CancellationScope(parent.scope));
        }
        Runnable cancelOthers = () -> {
            String first = failedBranches.isEmpty() ? "?" : failedBranches.get(0);
            scopes.forEach((n, s) -> {
                if (!failedBranches.contains(n)) {
                    s.cancel(Result.ABORTED, "Failed in branch " + first);
                }
            });
        };
        for (Map.Entry<String, Function<FlowContext, Object>> t : tasks.entrySet()) {
            String name = t.getKey();
            CancellationScope scope = scopes.get(name);
            FlowContext ctx = parent.branch(name, stepId + "[" + name + "]", scope);
            threads.put(name, Thread.ofVirtual().name("branch-" + name).start(() -> {
                try {
                    Object v = ctx.enter(() -> t.getValue().apply(ctx));
                    if (v != null) {
                        results.put(name, v);
                    }
                    if (failed.test(v)) {
                        failedBranches.add(name);
                        if (failFast) {
                            cancelOthers.run();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                    if (!(e instanceof FlowInterruptedException)) {
                        failedBranches.add(name);
                        ctx.engineLine("Failed in branch " + name);
                        if (failFast) {
                            cancelOthers.run();
                        }
                    }
                } finally {
                    scope.close();
                }
            }));
        }
        boolean interrupted = false;
        for (Thread t : threads.values()) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    scopes.values().forEach(s -> s.cancel(Result.ABORTED, parentReason(parent)));
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            parent.checkCancelled();
        }
        if (!failures.isEmpty()) {
            Throwable first = failures.stream().filter(f -> !(f instanceof FlowInterruptedException)).findFirst().orElse(failures.get(0));
            throw Sneaky.rethrow(first);
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String n : tasks.keySet()) {
            ordered.put(n, results.get(n));
        }
        return ordered;
    }

    private static String parentReason(FlowContext parent) {
        return parent.interrupted().getMessage();
    }
}
