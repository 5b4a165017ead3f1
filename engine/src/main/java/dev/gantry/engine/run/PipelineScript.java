package dev.gantry.engine.run;

import dev.gantry.api.PipelineSafe;
import groovy.lang.Closure;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;

/**
 * The base class of every compiled pipeline script. Unknown method calls are step calls
 * ({@code echo 'hi'} goes to the step library), unknown names are global variables ({@code env},
 * {@code params}, {@code currentBuild}) or environment variables, as in Jenkins.
 */
public abstract class PipelineScript extends Script {

    /** Every call the script class does not define: a step, or an argument helper such as {@code string(...)}. */
    @PipelineSafe
    public Object methodMissing(String name, Object args) {
        Object[] a = args instanceof Object[] arr ? arr : new Object[] {args};
        if (!StepInvoker.exists(name) && (Symbols.isSymbol(name) || StepInvoker.isPluginBinding(name))) {
            return Symbols.make(name, a);
        }
        return StepInvoker.invoke(this, name, a);
    }

    /** Global variables and, after them, environment variables by bare name. */
    @PipelineSafe
    public Object propertyMissing(String name) {
        FlowContext ctx = FlowContext.current();
        Object global = Globals.lookup(ctx, name);
        if (global != null) {
            return global;
        }
        String env = ctx.envVar(name);
        if (env != null) {
            return env;
        }
        throw new MissingPropertyException("No such property or variable: " + name, name, getClass());
    }

    /** {@code pipeline { ... }}: a declarative pipeline. */
    @PipelineSafe
    public void pipeline(Closure<?> body) {
        Declarative.execute(FlowContext.current(), body);
    }

    /**
     * Groovy's {@code sleep(long ms)} on every object would shadow the {@code sleep} step (seconds):
     * a method of the class with the same signature wins over it, the others route the remaining forms.
     */
    @PipelineSafe
    public Object sleep(long time) {
        return methodMissing("sleep", new Object[] {time});
    }

    @PipelineSafe
    public Object sleep(Object... args) {
        return methodMissing("sleep", args);
    }

    /** {@code println} writes to the console log, as in Jenkins. */
    @Override
    @PipelineSafe
    public void println(Object value) {
        FlowContext.current().engineLine(String.valueOf(value));
    }

    @Override
    @PipelineSafe
    public void println() {
        FlowContext.current().engineLine("");
    }

    @Override
    @PipelineSafe
    public void print(Object value) {
        FlowContext.current().engineLine(String.valueOf(value));
    }
}
