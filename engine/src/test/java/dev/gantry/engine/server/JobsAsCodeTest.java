package dev.gantry.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.jobs.JobCompiler;
import dev.gantry.engine.pipeline.PipelineLinter;
import dev.gantry.engine.steps.StepLibrary;
import dev.gantry.engine.store.Folder;
import dev.gantry.engine.store.JobRecord;
import dev.gantry.engine.store.JobRepository;
import dev.gantry.engine.store.StaleVersionException;
import dev.gantry.engine.store.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsAsCodeTest {
    @TempDir
    Path home;
    Store store;

    @BeforeEach
    void open() {
        store = Store.open(home);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** The store's jobs, where another client saves {@code job} just before the first saveAll commits. */
    private JobRepository racing(String job, AtomicBoolean raced) {
        JobRepository real = store.jobs();
        return new JobRepository() {
            @Override
            public List<JobRecord> saveAll(List<JobWrite> writes) throws StaleVersionException {
                if (raced.compareAndSet(false, true)) {
                    real.save(job, "node { echo 'the other client' }", null);
                }
                return real.saveAll(writes);
            }

            @Override
            public Optional<JobRecord> find(String name) {
                return real.find(name);
            }

            @Override
            public List<JobRecord> list() {
                return real.list();
            }

            @Override
            public boolean delete(String name) {
                return real.delete(name);
            }

            @Override
            public Folder saveFolder(String name, String description) {
                return real.saveFolder(name, description);
            }

            @Override
            public Optional<Folder> folder(String name) {
                return real.folder(name);
            }

            @Override
            public Children children(String name) {
                return real.children(name);
            }

            @Override
            public List<String> deleteFolder(String name, boolean recursive) {
                return real.deleteFolder(name, recursive);
            }
        };
    }

    @Test
    void twoClientsApplyingOneJobAtOnceGiveTheLoserAStaleVersionAndApplyNothingOfItsFile() throws Exception {
        store.jobs().save("shared", "node { echo 'v1' }", null);
        AtomicBoolean raced = new AtomicBoolean();
        JobsAsCode apply = new JobsAsCode(new JobCompiler(new PipelineLinter(StepLibrary.builtins())), racing("shared", raced), j -> { });
        String file = "- {name: fresh, script: \"node { echo 'new' }\"}\n- {name: shared, script: \"node { echo 'mine' }\"}\n";
        StaleVersionException e = assertThrows(StaleVersionException.class, () -> apply.apply("jobs.yaml", file, false));
        assertTrue(e.getMessage().contains("job 'shared' was changed meanwhile: you had version 1, it is now at version 2"), e.getMessage());
        assertTrue(store.jobs().find("fresh").isEmpty(), "the file is applied all or nothing");
        assertEquals("node { echo 'the other client' }", store.jobs().find("shared").orElseThrow().script());
        Controller.ApplyResult again = apply.apply("jobs.yaml", file, false);
        assertEquals(List.of("created", "updated"), again.jobs().stream().map(Controller.Applied::action).toList());
        assertEquals(3, store.jobs().find("shared").orElseThrow().version());
    }

    @Test
    void aDryRunReportsWithoutWriting() throws Exception {
        JobsAsCode apply = new JobsAsCode(new JobCompiler(new PipelineLinter(StepLibrary.builtins())), store.jobs(), j -> { });
        Controller.ApplyResult r = apply.apply("j.yaml", "name: a/b\nscript: \"node { }\"\n", true);
        assertEquals(List.of(new Controller.Applied("a/b", 1, "created")), r.jobs());
        assertTrue(store.jobs().find("a/b").isEmpty() && store.jobs().folder("a").isEmpty());
    }

    @Test
    void multibranchProjectsAreCheckedWithTheJobsAndSavedAfterThem() throws Exception {
        JobsAsCode apply = new JobsAsCode(new JobCompiler(new PipelineLinter(StepLibrary.builtins())), store.jobs(), j -> { });
        String file = """
                - name: tools/lint
                  script: node { }
                - name: shop
                  kind: multibranch
                  scm: {url: 'https://git.example.com/shop.git'}
                """;
        dev.gantry.engine.jobs.InvalidDefinitionException none = assertThrows(dev.gantry.engine.jobs.InvalidDefinitionException.class,
                () -> apply.apply("jobs.yaml", file, false, null));
        assertEquals("jobs.yaml:3:3: multibranch projects need the git plugin, which is not started on this controller (gantry plugin list)",
                none.problems().get(0).format());
        assertTrue(store.jobs().find("tools/lint").isEmpty(), "nothing of the file is applied");

        java.util.List<String> calls = new java.util.ArrayList<>();
        MultibranchProjects refusing = projects(calls, "'shop' is a job; a multibranch project is a folder");
        dev.gantry.engine.jobs.InvalidDefinitionException taken = assertThrows(dev.gantry.engine.jobs.InvalidDefinitionException.class,
                () -> apply.apply("jobs.yaml", file, false, refusing));
        assertEquals("jobs.yaml:3:3: 'shop' is a job; a multibranch project is a folder", taken.problems().get(0).format());
        assertTrue(store.jobs().find("tools/lint").isEmpty());
        assertEquals(List.of(), calls);

        Controller.ApplyResult r = apply.apply("jobs.yaml", file, false, projects(calls, null));
        assertEquals(List.of(new Controller.Applied("tools/lint", 1, "created"), new Controller.Applied("shop", 0, "created", "multibranch", null)),
                r.jobs());
        assertEquals(List.of("apply shop https://git.example.com/shop.git after tools/lint was saved: true"), calls);
    }

    private MultibranchProjects projects(java.util.List<String> calls, String problem) {
        return new MultibranchProjects() {
            @Override
            public String problem(dev.gantry.engine.jobs.MultibranchDefinition d) {
                return problem;
            }

            @Override
            public String jobProblem(String name) {
                return null;
            }

            @Override
            public Controller.Applied apply(dev.gantry.engine.jobs.MultibranchDefinition d, boolean dryRun) {
                calls.add("apply " + d.name() + " " + d.url() + " after tools/lint was saved: " + store.jobs().find("tools/lint").isPresent());
                return new Controller.Applied(d.name(), 0, "created", "multibranch", null);
            }
        };
    }
}
