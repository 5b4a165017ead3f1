package dev.gantry.engine.run;

import dev.gantry.api.Result;
import dev.gantry.api.build.ScriptLoader;
import dev.gantry.api.step.FlowInterruptedException;
import dev.gantry.api.step.StepFailedException;
import groovy.lang.Binding;
import groovy.lang.GroovyClassLoader;
import groovy.lang.GroovyCodeSource;
import groovy.lang.Script;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilerConfiguration;

/**
 * Compiles a pipeline script (sandboxed, on {@link PipelineScript}) and runs it as a build:
 * the script runs on a virtual thread in the build's root context; what it throws decides the
 * result, and the log ends with {@code Finished: RESULT}.
 */
public final class ScriptRunner {
    private ScriptRunner() {
    }

    /** The compiler settings of every pipeline script: base class, sandbox, abort checkpoints. */
    static CompilerConfiguration compilerConfiguration() {
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.setScriptBaseClass(PipelineScript.class.getName());
        cc.setSourceEncoding("UTF-8");
        cc.addCompilationCustomizers(new ShadowedStepCalls());
        Sandboxing.configure(cc);
        return cc;
    }

    /**
     * Runs {@code source} as build {@code run} and waits for it to end.
     *
     * @param parameters the parameters given for this build (declared defaults are added by the pipeline)
     * @return the build's result
     */
    public static Result run(BuildRun run, String fileName, String source, Map<String, Object> parameters)
            throws InterruptedException, InvalidPipelineException {
        Class<?> compiled = compileChecked(fileName, source);
        run.setParameters(parameters);
        run.setScriptName(fileName);
        FlowContext root = FlowContext.root(run);
        Thread t = Thread.ofVirtual().name("build-" + run.jobName() + "-" + run.number()).start(() -> execute(root, fileName, compiled, source));
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                run.abort("Aborted: the runner was interrupted");
            }
        }
        run.secrets().close();
        root.engineLine("Finished: " + run.result());
        run.log().flush();
        return run.result();
    }

    /** Whether the script is a declarative pipeline, as the linter decides it. */
    private static boolean isDeclarative(BuildRun run, String fileName, String source) {
        return new dev.gantry.engine.pipeline.PipelineLinter(run.steps()).lint(fileName, source).kind()
                == dev.gantry.engine.pipeline.PipelineKind.DECLARATIVE;
    }

    private static void execute(FlowContext root, String fileName, Class<?> compiled, String source) {
        BuildRun run = root.run;
        try {
            root.enter(() -> {
                root.engineLine("[Pipeline] Start of Pipeline");
                try {
                    if (run.restartFrom() != null && !isDeclarative(run, fileName, source)) {
                        throw new StepFailedException("this build restarts at stage '" + run.restartFrom()
                                + "', but only a declarative pipeline (pipeline { ... }) can be restarted from a stage; replay the build instead");
                    }
                    Script script = instantiate(compiled, fileName);
                    script.setBinding(new Binding());
                    script.run();
                } finally {
                    root.engineLine("[Pipeline] End of Pipeline");
                }
                return null;
            });
        } catch (FlowInterruptedException e) {
            root.engineLine(e.getMessage() == null ? "Aborted" : e.getMessage());
            run.worsen(e.result());
        } catch (CompilationFailedException e) {
            root.engineLine("ERROR: " + e.getMessage());
            run.worsen(Result.FAILURE);
        } catch (Throwable e) {
            if (run.rootScope().isCancelled()) {
                // Aborted while the script was being set up (before any step could see the
                // interrupt): the build was aborted, not broken.
                String reason = run.rootScope().reason();
                root.engineLine(reason == null ? "Aborted" : reason);
                run.worsen(Result.ABORTED);
                return;
            }
            root.engineLine("ERROR: " + describe(e, fileName));
            run.worsen(Result.FAILURE);
        }
    }

    /**
     * Compiles {@code source} into the shared cache now, so that the first build of a job just
     * saved does not wait for the compiler.
     *
     * @throws InvalidPipelineException when it does not compile
     */
    public static void precompile(String fileName, String source) throws InvalidPipelineException {
        compileChecked(fileName, source);
    }

    static Script compile(String fileName, String source) {
        return instantiate(compileClass(fileName, source), fileName);
    }

    private static Class<?> compileClass(String fileName, String source) {
        GroovyClassLoader loader = new GroovyClassLoader(ScriptRunner.class.getClassLoader(), compilerConfiguration());
        return loader.parseClass(new GroovyCodeSource(source, scriptClassName(fileName), "/gantry/script"), false);
    }

    /**
     * The compiled class of a script, from {@link CompiledScripts} when this exact text was
     * compiled before (builds of one job version compile once), else compiled now.
     */
    private static Class<?> compileCached(String fileName, String source) {
        return CompiledScripts.SHARED.get(fileName, source, () -> compileClass(fileName, source));
    }

    /**
     * Compiles a pipeline, turning compiler failures into problems with positions; limits of the
     * JVM (a script too large for one class) are explained instead of reported as internal errors.
     */
    static Class<?> compileChecked(String fileName, String source) throws InvalidPipelineException {
        try {
            return compileCached(fileName, source);
        } catch (CompilationFailedException e) {
            throw new InvalidPipelineException(CompileProblems.of(e));
        } catch (RuntimeException e) {
            if (e.getClass().getName().endsWith("TooLargeException") || e.getCause() != null
                    && e.getCause().getClass().getName().endsWith("TooLargeException")) {
                throw new InvalidPipelineException(List.of(CompileProblems.tooLarge()));
            }
            throw e;
        }
    }

    private static Script instantiate(Class<?> type, String fileName) {
        try {
            return (Script) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate the compiled pipeline " + fileName, e);
        }
    }

    /** A class name for the script that keeps its file name in stack traces. */
    private static String scriptClassName(String fileName) {
        String base = fileName.contains("/") ? fileName.substring(fileName.lastIndexOf('/') + 1) : fileName;
        return base.isEmpty() ? "Jenkinsfile" : base;
    }

    /** A user-facing description of a failure: its message, and where in the script it happened. */
    static String describe(Throwable e, String fileName) {
        if (e instanceof ExceptionInInitializerError && e.getCause() != null) {
            // A static initializer of the script or one of its classes failed: what failed is the cause.
            return describe(e.getCause(), fileName);
        }
        String msg = e instanceof StepFailedException || e instanceof FlowInterruptedException
                ? e.getMessage() : (e.getMessage() == null ? e.getClass().getName() : e.getMessage());
        if (e instanceof StepFailedException) {
            return msg;
        }
        String base = scriptClassName(fileName);
        for (StackTraceElement el : e.getStackTrace()) {
            if (el.getFileName() != null && el.getLineNumber() > 0 && el.getFileName().equals(base)) {
                return msg + " (" + fileName + ":" + el.getLineNumber() + ")";
            }
        }
        return msg;
    }

    /** Where the calling thread is in the script {@code fileName}: " (Jenkinsfile:12)", or "" when it is not in it. */
    static String where(String fileName) {
        String base = scriptClassName(fileName);
        for (StackTraceElement el : new Throwable().getStackTrace()) {
            if (el.getFileName() != null && el.getLineNumber() > 0 && el.getFileName().equals(base)) {
                return " (" + fileName + ":" + el.getLineNumber() + ")";
            }
        }
        return "";
    }

    /** The {@code load} step's access to the compiler, in the build's sandbox. */
    static ScriptLoader loaderFor(FlowContext ctx) {
        return (name, text) -> {
            Script s = compile(name, text);
            s.setBinding(new Binding());
            s.run();
            return s;
        };
    }
}
