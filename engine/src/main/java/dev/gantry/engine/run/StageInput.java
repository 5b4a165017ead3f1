package dev.gantry.engine.run;

import dev.gantry.api.PipelineSafe;
import groovy.lang.Closure;
import groovy.lang.GroovyObjectSupport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's {@code input { }} directive: asks through the {@code input} step; the answers become
 * environment variables of the stage, as in Jenkins.
 */
final class StageInput {
    private StageInput() {
    }

    static FlowContext ask(Closure<?> block, FlowContext ctx) throws Exception {
        Dsl d = new Dsl();
        DeclarativeModel.evalWith(block, d);
        Map<String, Object> args = new LinkedHashMap<>(d.settings);
        if (!d.parameters.isEmpty()) {
            args.put("parameters", d.parameters);
        }
        Object answer = ctx.enter(() -> StepInvoker.invoke(block, "input", new Object[] {args}));
        Map<String, String> env = new LinkedHashMap<>();
        if (answer instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
        } else if (answer != null && d.parameters.size() == 1) {
            env.put(String.valueOf(d.parameters.get(0).get("name")), String.valueOf(answer));
        } else if (answer != null && d.settings.containsKey("submitterParameter")) {
            env.put(String.valueOf(d.settings.get("submitterParameter")), String.valueOf(answer));
        }
        return ctx.withEnv(env);
    }

    /** Collects {@code message 'x'; ok 'y'; parameters { ... }}. */
    @PipelineSafe
    static final class Dsl extends GroovyObjectSupport implements groovy.lang.GroovyInterceptable {
        final Map<String, Object> settings = new LinkedHashMap<>();
        List<Map<String, Object>> parameters = List.of();

        @Override
        public Object invokeMethod(String name, Object args) {
            Object[] a = args instanceof Object[] arr ? arr : new Object[] {args};
            if (name.equals("parameters") && a.length == 1 && a[0] instanceof Closure<?> c) {
                parameters = DeclarativeModel.ParametersDsl.collect(c);
            } else if (a.length == 1) {
                settings.put(name, a[0] instanceof CharSequence cs ? cs.toString() : a[0]);
            }
            return null;
        }
    }
}
