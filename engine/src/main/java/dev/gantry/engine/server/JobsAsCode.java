package dev.gantry.engine.server;

import dev.gantry.engine.jobs.DefinitionProblem;
import dev.gantry.engine.jobs.DefinitionReader;
import dev.gantry.engine.jobs.InvalidDefinitionException;
import dev.gantry.engine.jobs.JobCompiler;
import dev.gantry.engine.jobs.JobDefinition;
import dev.gantry.engine.jobs.MultibranchDefinition;
import dev.gantry.engine.pipeline.Problem;
import dev.gantry.engine.store.JobRecord;
import dev.gantry.engine.store.JobRepository;
import dev.gantry.engine.store.JobRepository.JobWrite;
import dev.gantry.engine.store.StaleVersionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Saving jobs from definitions: one by {@code PUT}, or a whole file by {@code apply}, which is
 * idempotent (an unchanged definition keeps its version) and atomic (every job of the file is
 * saved, or none). Thread-safe; concurrent writers of one job are told apart by optimistic locking.
 */
final class JobsAsCode {
    private final JobCompiler compiler;
    private final JobRepository jobs;
    private final Consumer<JobRecord> saved;

    /** @param saved told of every job written, e.g. so that queued builds follow its new options */
    JobsAsCode(JobCompiler compiler, JobRepository jobs, Consumer<JobRecord> saved) {
        this.compiler = compiler;
        this.jobs = jobs;
        this.saved = saved;
    }

    JobRecord put(JobDefinition d, Long expectedVersion) throws Controller.InvalidJobException, StaleVersionException {
        JobCompiler.Compiled c = compiler.compile(d);
        if (!c.ok()) {
            throw new Controller.InvalidJobException(c.problems());
        }
        JobRecord r = jobs.saveAll(List.of(write(c, expectedVersion))).get(0);
        saved.accept(r);
        return r;
    }

    Controller.ApplyResult apply(String fileName, String text, boolean dryRun) throws InvalidDefinitionException, StaleVersionException {
        return apply(fileName, text, dryRun, null);
    }

    /**
     * Applies a file of jobs and multibranch projects: every problem (of the file, the pipelines,
     * the projects' names) is found before anything is written; then the jobs are written at once,
     * then each project is saved and scanned.
     *
     * @param projects where multibranch projects go; null when no SCM plugin runs (a project is then a problem)
     */
    Controller.ApplyResult apply(String fileName, String text, boolean dryRun, MultibranchProjects projects)
            throws InvalidDefinitionException, StaleVersionException {
        List<DefinitionReader.Entry> entries = DefinitionReader.readFile(fileName, text);
        List<DefinitionProblem> problems = new ArrayList<>();
        List<JobCompiler.Compiled> compiled = new ArrayList<>();
        List<MultibranchDefinition> multibranch = new ArrayList<>();
        for (DefinitionReader.Entry e : entries) {
            if (e.multibranch() != null) {
                String why = projects == null ? "multibranch projects need the git plugin, which is not started on this controller"
                        + " (gantry plugin list)" : projects.problem(e.multibranch());
                if (why != null) {
                    problems.add(new DefinitionProblem(fileName, e.line(), e.column(), e.name(), null, why));
                }
                multibranch.add(e.multibranch());
                continue;
            }
            String inside = projects == null ? null : projects.jobProblem(e.name());
            if (inside != null) {
                problems.add(new DefinitionProblem(fileName, e.line(), e.column(), e.name(), null, inside));
            }
            JobCompiler.Compiled c = compiler.compile(e.definition());
            for (Problem p : c.problems()) {
                problems.add(e.script().place(fileName, e.definition().name(), p));
            }
            compiled.add(c);
        }
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionException(problems);
        }
        List<JobWrite> writes = new ArrayList<>();
        List<Controller.Applied> applied = new ArrayList<>();
        for (JobCompiler.Compiled c : compiled) {
            String name = c.definition().name();
            Optional<JobRecord> current = jobs.find(name);
            String script = scriptOf(c.definition());
            if (current.isPresent() && current.get().script().equals(script) && current.get().spec().equals(c.definition().spec())
                    && current.get().settings().equals(c.settings())) {
                applied.add(new Controller.Applied(name, current.get().version(), "unchanged"));
                continue;
            }
            long version = current.map(JobRecord::version).orElse(0L);
            writes.add(write(c, version));
            applied.add(new Controller.Applied(name, version + 1, current.isPresent() ? "updated" : "created"));
        }
        if (!dryRun && !writes.isEmpty()) {
            // Each write expects the version read above: a job changed meanwhile by someone else
            // fails the whole file with 409 instead of overwriting their change.
            jobs.saveAll(writes).forEach(saved);
        }
        for (MultibranchDefinition d : multibranch) {
            applied.add(projects.apply(d, dryRun));
        }
        return new Controller.ApplyResult(applied, dryRun);
    }

    private static JobWrite write(JobCompiler.Compiled c, Long expectedVersion) {
        JobDefinition d = c.definition();
        return new JobWrite(d.name(), scriptOf(d), d.spec(), c.settings(), expectedVersion);
    }

    /** SCM jobs store no script; their pipeline is fetched when they build. */
    private static String scriptOf(JobDefinition d) {
        return d.script() == null ? "" : d.script();
    }
}
