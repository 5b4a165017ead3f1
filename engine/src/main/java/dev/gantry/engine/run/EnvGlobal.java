package dev.gantry.engine.run;

import dev.gantry.api.PipelineSafe;
import groovy.lang.GroovyObjectSupport;
import java.util.Map;

/**
 * {@code env}: reading a name gives the variable as the current code sees it (stage environment
 * and {@code withEnv} included); assigning sets it for the rest of the build, as in Jenkins.
 */
@PipelineSafe
public final class EnvGlobal extends GroovyObjectSupport {
    private final BuildRun run;

    EnvGlobal(BuildRun run) {
        this.run = run;
    }

    @Override
    public Object getProperty(String name) {
        if ("environment".equals(name)) {
            return getEnvironment();
        }
        return FlowContext.current().envVar(name);
    }

    @Override
    public void setProperty(String name, Object value) {
        if (value == null) {
            run.globalEnv().remove(name);
        } else {
            run.globalEnv().put(name, String.valueOf(value));
        }
    }

    /** Every variable, as a process started here would get them. */
    public Map<String, String> getEnvironment() {
        return FlowContext.current().environment();
    }

    @Override
    public String toString() {
        return "env";
    }
}
