package dev.gantry.engine.run;

import dev.gantry.api.PipelineSafe;
import dev.gantry.api.step.StepFailedException;
import groovy.lang.GroovyObjectSupport;
import groovy.lang.MissingPropertyException;
import dev.gantry.api.credentials.Credential;
import dev.gantry.api.credentials.CredentialLookup;
import java.util.LinkedHashMap;
import java.util.NoSuchElementException;
import java.util.Map;

/**
 * Evaluates an {@code environment { NAME = value }} block: assignments are collected in order,
 * reads see earlier assignments and then the current environment; {@code X = credentials('id')}
 * binds a stored credential as Jenkins does ({@code X}, {@code X_USR}, {@code X_PSW}, see
 * {@link CredentialBindings#environment}), its secrets masked in the log from then on.
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
        if (value instanceof CredentialsReference ref) {
            values.putAll(ref.bind(name));
            return;
        }
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

    /** {@code credentials('id')}: a stored credential, bound when it is assigned to a variable. */
    public Object credentials(String id) {
        if (id == null || id.isBlank()) {
            throw new StepFailedException("credentials(...) needs the id of a stored credential");
        }
        return new CredentialsReference(id);
    }

    /**
     * What {@code credentials('id')} evaluates to: nothing is looked up until it is assigned,
     * because the variable's name decides the names of the variables set. Not a string, so that
     * it cannot be interpolated by accident.
     */
    @PipelineSafe
    public final class CredentialsReference {
        private final String id;

        CredentialsReference(String id) {
            this.id = id;
        }

        Map<String, String> bind(String variable) {
            CredentialLookup lookup = ctx.run.service(CredentialLookup.class).orElseThrow(() -> new StepFailedException(
                    "credentials('" + id + "'): this run has no credentials; on the controller they are stored with"
                            + " 'gantry credentials create', for 'gantry run' pass them with --credentials FILE"));
            Credential c;
            try {
                c = lookup.find(id);
            } catch (NoSuchElementException e) {
                throw new StepFailedException("credentials('" + id + "'): " + e.getMessage());
            }
            try {
                return CredentialBindings.environment(variable, c, ctx.workspace, ctx.run.secrets()).variables();
            } catch (java.io.IOException e) {
                throw new StepFailedException("credentials('" + id + "'): cannot write the credential's file: " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "credentials('" + id + "')";
        }
    }
}
