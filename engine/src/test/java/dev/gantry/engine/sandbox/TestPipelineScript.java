package dev.gantry.engine.sandbox;

import dev.gantry.api.PipelineSafe;
import groovy.lang.Closure;
import groovy.lang.MissingPropertyException;
import groovy.lang.Script;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A small stand-in for the engine's pipeline base class: steps through methodMissing, env through propertyMissing. */
public abstract class TestPipelineScript extends Script {

    @SuppressWarnings("unchecked")
    private List<String> calls() {
        return (List<String>) getBinding().getVariable("calls");
    }

    /** Unknown calls are steps: recorded with their arguments. */
    public Object methodMissing(String name, Object args) {
        Object[] a = (Object[]) args;
        calls().add(name + Arrays.toString(a));
        if (a.length > 0 && a[a.length - 1] instanceof Closure<?> body) {
            return body.call();
        }
        return "result of " + name;
    }

    /** Unknown names are global variables: only env exists. */
    public Object propertyMissing(String name) {
        if ("env".equals(name)) {
            return Map.of("BRANCH_NAME", "main", "BUILD_NUMBER", "7");
        }
        throw new MissingPropertyException(name, getClass());
    }

    @PipelineSafe
    @Override
    public void println(Object value) {
        calls().add("println[" + value + "]");
    }

    @PipelineSafe
    public Object sleep(long seconds) {
        calls().add("sleep[" + seconds + "]");
        return null;
    }

    /** A declarative-style block: its body runs with a {@link StageDsl} delegate, DELEGATE_FIRST. */
    @PipelineSafe
    public Object stage(String name, Closure<?> body) {
        calls().add("stage[" + name + "]");
        body.setDelegate(new StageDsl(calls()));
        body.setResolveStrategy(Closure.DELEGATE_FIRST);
        return body.call();
    }

    /** The delegate of stage bodies. */
    @PipelineSafe
    public static final class StageDsl {
        private final List<String> calls;

        StageDsl(List<String> calls) {
            this.calls = calls;
        }

        public Object steps(Closure<?> body) {
            calls.add("steps");
            return body.call();
        }

        public String getAgentLabel() {
            return "linux";
        }
    }

    /** Something with no annotation and no allow-list entry. */
    public static final class Unlisted {
        public String secret() {
            return "secret";
        }
    }

    /** Returns a fresh list for the binding. */
    public static List<String> newCalls() {
        return new ArrayList<>();
    }
}
