package dev.gantry.engine.run;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The step call running on the current thread, for the code the step calls into (a workspace
 * that launches a process on an agent): its deterministic id, a count of the processes it
 * launched, and actions to run once its outcome is journaled. This is what lets a task started
 * by a step carry an id that the same call finds again when the build resumes after a restart.
 * Set by the engine around every step's {@code run}; thread-confined except {@link #whenDone}.
 */
public final class RunningStep {
    private static final ThreadLocal<RunningStep> CURRENT = new ThreadLocal<>();

    private final String id;
    private final String job;
    private final int number;
    private final StepJournal journal;
    private final RunningStep outer;
    private final AtomicInteger launches = new AtomicInteger();
    private final List<Runnable> done = new CopyOnWriteArrayList<>();

    private RunningStep(String id, String job, int number, StepJournal journal, RunningStep outer) {
        this.id = id;
        this.job = job;
        this.number = number;
        this.journal = journal;
        this.outer = outer;
    }

    /** The step call running on this thread, or null outside of one. */
    public static RunningStep current() {
        return CURRENT.get();
    }

    static RunningStep enter(String id, String job, int number, StepJournal journal) {
        RunningStep s = new RunningStep(id, job, number, journal, CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /**
     * Leaves the call (the outer one is current again) and, unless the build is being suspended,
     * runs the actions registered with {@link #whenDone}: its outcome is journaled by now.
     */
    void exit() {
        CURRENT.set(outer);
        if (suspended()) {
            return;
        }
        for (Runnable r : done) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.getLogger(RunningStep.class.getName()).log(System.Logger.Level.WARNING,
                        "after step call " + id + " of " + job + " #" + number + ": " + e);
            }
        }
    }

    /** The call's deterministic id ({@code 0/3}). */
    public String id() {
        return id;
    }

    /** The build's job. */
    public String job() {
        return job;
    }

    /** The build's number. */
    public int number() {
        return number;
    }

    /** 0 for the first process this call launches, 1 for the second, ... */
    public int nextLaunch() {
        return launches.getAndIncrement();
    }

    /**
     * Whether the build is being suspended for a controller shutdown (its journal takes nothing
     * more): work on remote agents is then left running, to be re-attached at the next start.
     */
    public boolean suspended() {
        return journal.sealed();
    }

    /**
     * Journals that this call's process task {@code taskId} is being handed to agent {@code node}
     * (its process {@code instance}); called before the agent can get it, from any thread.
     *
     * @throws dev.gantry.api.step.StepFailedException when the journal cannot be written
     */
    public void launched(String taskId, String node, String instance) {
        journal.recordLaunch(taskId, new StepJournal.Launch(node, instance));
    }

    /**
     * Where this call's process task {@code taskId} was handed before the controller restarted, or
     * null when it never was: such a task is re-attached, never started again.
     */
    public StepJournal.Launch launchedBefore(String taskId) {
        return journal.launch(taskId).orElse(null);
    }

    /** Runs {@code action} when the call ends and its outcome is journaled (not when the build is suspended). Thread-safe. */
    public void whenDone(Runnable action) {
        done.add(action);
    }
}
