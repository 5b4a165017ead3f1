package dev.gantry.engine.run;

import dev.gantry.api.PipelineSafe;
import dev.gantry.api.step.StepFailedException;
import groovy.lang.GroovyObjectSupport;
import groovy.lang.MissingPropertyException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluates an {@code environment { NAME = value }} block: assignments are collected in order,
 * reads see earlier assignments and then the current environment, {@code credentials('id')}
 * resolves through the credentials store (issue 06; a clear error until then).
 */
@PipelineSafe
public final class EnvironmentDsl extends GroovyObjectSupport {
    private final FlowContext ctx;
    private final Map<String, String> values = new LinkedHashMap<>();

    EnvironmentDsl(FlowContext ctx) {
        this.ctx = ctx;
    }

    Map<String, String> values() {
        return values;
    }

    @Override
    public Object getProperty(String name) {
        if ("env".equals(name)) {
            return new EnvView();
        }
        if (values.containsKey(name)) {
            return values.get(name);
        }
        String v = ctx.envVar(name);
        if (v != null) {
            return v;
        }
        throw new MissingPropertyException(name, getClass());
    }

    @Override
    public void setProperty(String name, Object value) {
        values.put(name, value == null ? "" : String.valueOf(value));
    }

    /**
     * {@code env} inside the block: {@code B = "${env.A}-x"} must see an {@code A} assigned just
     * above, which the build's {@code env} cannot know yet (the block's values apply when it ends).
     */
    @PipelineSafe
    public final class EnvView extends GroovyObjectSupport {
        @Override
        public Object getProperty(String name) {
            return values.containsKey(name) ? values.get(name) : ctx.envVar(name);
        }

        @Override
        public void setProperty(String name, Object value) {
            EnvironmentDsl.this.setProperty(name, value);
        }
    }

    /** {@code credentials('id')}: a stored credential bound to the variable. */
    public Object credentials(String id) {
        throw new StepFailedException("credentials('" + id + "'): no credential with id '" + id
                + "' exists (the credentials store arrives with the controller's security features)");
    }
}
