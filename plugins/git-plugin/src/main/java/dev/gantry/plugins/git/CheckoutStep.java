package dev.gantry.plugins.git;

import dev.gantry.api.scm.ScmCheckouts;
import dev.gantry.api.scm.ScmSource;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.support.SimpleStep;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code checkout scm} (the source the job's pipeline came from) and
 * {@code checkout([$class: 'GitSCM', branches: [[name: '* /main']], userRemoteConfigs: [[url: ..., credentialsId: ...]]])}.
 * Returns the revision's variables ({@code GIT_COMMIT}, ...), as Jenkins' step does.
 */
@Extension
public class CheckoutStep extends SimpleStep {

    public CheckoutStep() {
        super("checkout", "Checks out a source control configuration: scm (the job's own repository) or a GitSCM map.",
                d -> d.optional("scm", ParamType.ANY, null, "scm, or [$class: 'GitSCM', branches: [[name: 'main']], userRemoteConfigs: [[url: '...']]]")
                        .positional("scm")
                        .optional("changelog", BOOLEAN, true, "Record the commits since the previous build.")
                        .optional("poll", BOOLEAN, true, "Kept for Jenkins compatibility.")
                        .optional("gitScm", ParamType.MAP, null, "The GitSCM map's entries when it is given as the call's named arguments: checkout([$class: 'GitSCM', ...]).")
                        .rest("gitScm")
                        .needsWorkspace());
    }

    @Override
    public Object run(StepContext context, StepArguments args) throws Exception {
        Object scm = args.get("scm");
        if (scm == null && !args.map("gitScm").isEmpty()) {
            scm = args.map("gitScm");
        }
        ScmSource source;
        if (scm instanceof Map<?, ?> m) {
            Object cls = m.get("$class");
            if ("GitSCM".equals(cls == null ? null : String.valueOf(cls))) {
                source = parse(() -> GitSettings.fromGitScm(m));
            } else if (cls == null && ("git".equals(String.valueOf(m.get("type"))) || m.containsKey("url"))) {
                @SuppressWarnings("unchecked")
                Map<String, ?> settings = (Map<String, ?>) m;
                source = parse(() -> GitSettings.source(settings));
            } else {
                throw new StepFailedException("checkout: cannot check out " + (cls == null ? "a map without $class" : "$class: '" + cls + "'")
                        + "; the git plugin checks out scm, [$class: 'GitSCM', ...] and [type: 'git', url: ...]");
            }
        } else if (scm == null) {
            ScmSource job = context.service(ScmCheckouts.class).map(ScmCheckouts::jobSource).orElse(null);
            if (job == null) {
                throw new StepFailedException("checkout: 'scm' is only defined for jobs whose pipeline comes from a repository; give a GitSCM map or use git url: ...");
            }
            source = job;
        } else {
            throw new StepFailedException("checkout: expected scm or a GitSCM map, not " + scm.getClass().getSimpleName());
        }
        if (!"git".equals(source.type())) {
            throw new StepFailedException("checkout: the source is of type " + source.type() + ", which the git plugin cannot check out");
        }
        return CheckoutRunner.run(context, source, args.bool("changelog"));
    }

    private interface Parse {
        ScmSource get();
    }

    private static ScmSource parse(Parse p) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("checkout: " + e.getMessage());
        }
    }
}
