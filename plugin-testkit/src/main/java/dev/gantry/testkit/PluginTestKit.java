package dev.gantry.testkit;

import dev.gantry.api.Result;
import dev.gantry.api.step.Step;
import dev.gantry.engine.local.LocalRun;
import dev.gantry.engine.pipeline.LintResult;
import dev.gantry.engine.pipeline.PipelineLinter;
import dev.gantry.engine.pipeline.Problem;
import dev.gantry.engine.steps.StepLibrary;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tests a plugin in a few lines: an engine in this process with the built-in steps and the
 * plugin's own (every step class that PF4J's annotation processor listed in a
 * {@code META-INF/extensions.idx} on the test class path, so the plugin's {@code @Extension}
 * steps as compiled), which lints and runs pipelines and hands back the result and the log.
 *
 * <pre>{@code
 * @Test
 * void greets(@TempDir Path ws) {
 *     PluginTestKit.create().workspace(ws)
 *             .run("node { greet 'Ada' }")
 *             .assertSuccess()
 *             .assertLogContains("Hello, Ada!");
 * }
 * }</pre>
 *
 * Each {@link #run} is one build, numbered 1, in the workspace (a fresh temporary directory
 * unless {@link #workspace} names one). Not thread-safe; use one kit per test.
 */
public final class PluginTestKit {
    private final List<Step> steps = new ArrayList<>();
    private final List<dev.gantry.api.task.TaskHandlerExtension> taskHandlers = new ArrayList<>();
    private final List<dev.gantry.api.credentials.CredentialBinding> bindings = new ArrayList<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private Path workspace;
    private final Map<Class<?>, Object> services = new LinkedHashMap<>();
    private final Map<String, dev.gantry.api.credentials.Credential> credentials = new LinkedHashMap<>();

    private PluginTestKit() {
    }

    /**
     * A kit with the built-in steps and every extension step and credential binding on the class
     * path; the task handlers ({@code TaskHandlerExtension}) there run plugin tasks in this process
     * ({@code NodeTasks}).
     *
     * @throws IllegalStateException naming the class when a listed step cannot be created
     */
    public static PluginTestKit create() {
        PluginTestKit kit = new PluginTestKit();
        for (Object ext : classPathExtensions()) {
            if (ext instanceof Step s) {
                kit.steps.add(s);
            }
            if (ext instanceof dev.gantry.api.task.TaskHandlerExtension h) {
                kit.taskHandlers.add(h);
            }
            if (ext instanceof dev.gantry.api.credentials.CredentialBinding b) {
                kit.bindings.add(b);
            }
        }
        return kit;
    }

    /** Adds a step instance (one not annotated, or a test double). */
    public PluginTestKit withStep(Step step) {
        steps.add(step);
        return this;
    }

    /**
     * Adds a credential binding for {@code withCredentials([...])} (one not annotated, or a test
     * double); the {@code @Extension} bindings on the class path are there already.
     */
    public PluginTestKit withBinding(dev.gantry.api.credentials.CredentialBinding binding) {
        bindings.add(binding);
        return this;
    }

    /** The workspace directory the pipeline's {@code node} gets (created if missing). */
    public PluginTestKit workspace(Path dir) {
        this.workspace = dir;
        return this;
    }

    /** A build parameter. */
    public PluginTestKit parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    /**
     * A service the pipeline's steps reach through {@code StepContext.service(type)}, for
     * example a {@link dev.gantry.api.build.BuildTrigger} that records what was triggered.
     */
    public <T> PluginTestKit service(Class<T> type, T impl) {
        services.put(type, java.util.Objects.requireNonNull(impl, "impl"));
        return this;
    }

    /**
     * A credential the build may use: {@code StepContext.service(CredentialLookup.class)} finds
     * it by id, and an unknown id fails with a {@link java.util.NoSuchElementException} naming it.
     */
    public PluginTestKit credential(dev.gantry.api.credentials.Credential credential) {
        credentials.put(credential.id(), credential);
        return this;
    }

    /** The steps a pipeline can call here, by name. */
    public Set<String> stepNames() {
        return new LinkedHashSet<>(library().names());
    }

    /**
     * Lints and runs a pipeline to its end.
     *
     * @return the finished build
     * @throws AssertionError listing the problems (line:column: message) when the pipeline is
     *     not valid, for example because a step is unknown
     */
    public TestRun run(String pipeline) {
        StepLibrary library = library();
        LintResult lint = new PipelineLinter(library).lint("Jenkinsfile", pipeline);
        if (!lint.ok()) {
            StringBuilder sb = new StringBuilder("the pipeline is not valid:");
            for (Problem p : lint.problems()) {
                sb.append("\n  ").append(p.format("Jenkinsfile"));
            }
            throw new AssertionError(sb.toString());
        }
        try {
            Path ws = workspace != null ? workspace : Files.createTempDirectory("gantry-testkit-");
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            LocalRun local = new LocalRun(library, ws).parameters(parameters);
            Map<String, dev.gantry.api.credentials.Credential> known = Map.copyOf(credentials);
            local.service(dev.gantry.api.credentials.CredentialLookup.class, id -> {
                dev.gantry.api.credentials.Credential c = known.get(id);
                if (c == null) {
                    throw new java.util.NoSuchElementException("no credential with id '" + id + "'; the test kit knows " + known.keySet());
                }
                return c;
            });
            // Plugin tasks run in the test's process, on the workspace, as the built-in agent runs them.
            List<dev.gantry.api.task.TaskHandlerExtension> handlers = List.copyOf(taskHandlers);
            local.service(dev.gantry.api.agent.NodeTasks.class, new dev.gantry.engine.local.LocalNodeTasks(() -> handlers));
            // Reports are kept in memory, as in gantry run; a service given to the kit replaces them.
            dev.gantry.api.report.BuildReports reports = dev.gantry.engine.run.StoredBuildReports.open(null);
            local.service(dev.gantry.api.report.BuildReports.class, reports);
            services.forEach((type, impl) -> addService(local, type, impl));
            LocalRun.Outcome o = local.run("Jenkinsfile", pipeline, log);
            dev.gantry.api.report.BuildReports used = (dev.gantry.api.report.BuildReports) services.getOrDefault(
                    dev.gantry.api.report.BuildReports.class, reports);
            return new TestRun(o.result(), log.toString(StandardCharsets.UTF_8), ws.toAbsolutePath(), used.list());
        } catch (IOException e) {
            throw new UncheckedIOException("the test run could not use its workspace: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the pipeline ran", e);
        } catch (dev.gantry.engine.run.InvalidPipelineException e) {
            throw new AssertionError("the pipeline does not compile: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void addService(LocalRun local, Class<T> type, Object impl) {
        local.service(type, (T) impl);
    }

    private StepLibrary library() {
        return StepLibrary.builtins().plus(steps, (dropped, kept) -> {
            throw new IllegalStateException("two steps are named " + dropped.descriptor().name() + ": " + kept.getClass().getName()
                    + " and " + dropped.getClass().getName());
        }).withBindings(bindings, (dropped, why) -> {
            throw new IllegalStateException("the binding " + dropped.getClass().getName() + " cannot be used: " + why);
        });
    }

    /** The step, task handler and credential binding extensions listed in the class path's extension indexes. */
    private static List<Object> classPathExtensions() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = PluginTestKit.class.getClassLoader();
        }
        Set<String> names = new LinkedHashSet<>();
        try {
            for (URL idx : Collections.list(loader.getResources("META-INF/extensions.idx"))) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(idx.openStream(), StandardCharsets.UTF_8))) {
                    r.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the extension indexes on the class path", e);
        }
        List<Object> found = new ArrayList<>();
        for (String n : names) {
            try {
                Class<?> c = Class.forName(n, true, loader);
                if (Step.class.isAssignableFrom(c) || dev.gantry.api.task.TaskHandlerExtension.class.isAssignableFrom(c)
                        || dev.gantry.api.credentials.CredentialBinding.class.isAssignableFrom(c)) {
                    found.add(c.getConstructor().newInstance());
                }
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("the extension " + n + " cannot be created (a public no-argument constructor is needed): " + e, e);
            }
        }
        return found;
    }

    /**
     * A finished build: its result, its console log, its workspace and the reports its steps
     * attached (in the order attached), with assertions that return the run so that they chain.
     * Assertion failures show the log.
     */
    public record TestRun(Result result, String log, Path workspace, List<dev.gantry.api.report.BuildReport> reports) {

        /**
         * The report of this kind and name.
         *
         * @throws AssertionError listing the reports attached when there is none such
         */
        public dev.gantry.api.report.BuildReport report(String kind, String name) {
            return reports.stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("the build attached no report " + kind + "/" + name + "; it attached "
                            + reports.stream().map(r -> r.kind() + "/" + r.name()).toList()));
        }

        /**
         * What {@code panel} shows for this build (result and reports), as the build page would
         * embed it; empty when the panel has nothing to show.
         */
        public java.util.Optional<String> render(dev.gantry.api.ui.BuildPanel panel) {
            return panel.render(new dev.gantry.api.ui.BuildPanel.BuildView("test", 1, result.name(), reports));
        }

        /** Fails unless the build ended SUCCESS. */
        public TestRun assertSuccess() {
            return assertResult(Result.SUCCESS);
        }

        /** Fails unless the build ended with {@code expected}. */
        public TestRun assertResult(Result expected) {
            if (result != expected) {
                throw new AssertionError("expected the build to end " + expected + " but it ended " + result + "; its log:\n" + log);
            }
            return this;
        }

        /** Fails unless the log contains {@code text}. */
        public TestRun assertLogContains(String text) {
            if (!log.contains(text)) {
                throw new AssertionError("the log does not contain \"" + text + "\"; it is:\n" + log);
            }
            return this;
        }

        /** Fails if the log contains {@code text}. */
        public TestRun assertLogDoesNotContain(String text) {
            if (log.contains(text)) {
                throw new AssertionError("the log contains \"" + text + "\"; it is:\n" + log);
            }
            return this;
        }

        /** A workspace file's text (UTF-8). */
        public String file(String relativePath) {
            try {
                return Files.readString(workspace.resolve(relativePath));
            } catch (IOException e) {
                throw new AssertionError("cannot read " + relativePath + " in the workspace " + workspace + ": " + e.getMessage(), e);
            }
        }
    }
}
