package dev.gantry.engine.steps;

import dev.gantry.api.build.InputHandler;
import dev.gantry.api.build.InputRequest;
import dev.gantry.api.build.NodeLease;
import dev.gantry.api.build.ScriptLoader;
import dev.gantry.api.Result;
import dev.gantry.api.step.Body;
import dev.gantry.api.step.BodyKind;
import dev.gantry.api.step.ContextChange;
import dev.gantry.api.step.FlowInterruptedException;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Steps that shape the flow: parallel, stage, node, input, load, build. */
public final class FlowSteps {
    private FlowSteps() {
    }

    /** {@code parallel a: { }, b: { }, failFast: true} / {@code parallel branches}. */
    public static final class Parallel implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("parallel")
                .help("Runs closures at the same time, one branch each, and waits for all. With failFast, the first failure aborts the others.")
                .optional("branches", ParamType.BODY_MAP, null, "The branches by name.").rest("branches")
                .optional("failFast", ParamType.BOOLEAN, false, "Abort the other branches when one fails.").build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) {
            Map<String, Body> branches = a.bodies("branches");
            if (branches.isEmpty()) {
                throw new StepFailedException("parallel: no branches given");
            }
            return c.parallel(branches, a.bool("failFast"));
        }
    }

    /** {@code stage('Build') { ... }} in scripted pipelines. */
    public static final class Stage implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("stage")
                .help("A named stage of a scripted pipeline: shown in the stage graph with its own result and duration.")
                .required("name", ParamType.STRING, "The stage's name.").positional("name")
                .optional("concurrency", ParamType.INTEGER, null, "Accepted for compatibility; has no effect.")
                .body(BodyKind.REQUIRED).build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) {
            return c.body().run(ContextChange.builder().stage(a.string("name")).build());
        }
    }

    /** {@code node('linux') { ... }}. */
    public static final class Node implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("node")
                .help("Allocates an executor on a node matching the label expression and a workspace there, and runs the body in it.")
                .optional("label", ParamType.STRING, null, "A label expression (linux && docker); none for any node.").positional("label")
                .body(BodyKind.REQUIRED).build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) throws InterruptedException {
            try (NodeLease lease = c.allocateNode(a.string("label"), null)) {
                return c.body().run(ContextChange.builder().workspace(lease.workspace()).env(lease.environment()).build());
            }
        }
    }

    /** {@code input message: 'Deploy?', parameters: [...]}. */
    public static final class Input implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("input")
                .help("Pauses for a person to proceed or abort, optionally asking for parameters; returns the answer"
                        + " (the single parameter's value, or a map of them).")
                .required("message", ParamType.STRING, "What to ask.").positional("message")
                .optional("id", ParamType.STRING, null, "An id to answer by (default: from the message).")
                .optional("ok", ParamType.STRING, "Proceed", "The label of the proceed button.")
                .optional("submitter", ParamType.STRING, null, "Users or groups allowed to answer, comma-separated.")
                .optional("submitterParameter", ParamType.STRING, null, "Name under which the answerer is returned.")
                .optional("parameters", ParamType.LIST, null, "Parameters to ask for: string(...), booleanParam(...), choice(...), text(...), password(...).")
                .build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) throws InterruptedException {
            InputHandler handler = c.service(InputHandler.class)
                    .orElseThrow(() -> new StepFailedException("input: nobody can answer in this run"));
            List<Map<String, Object>> params = new ArrayList<>();
            if (a.get("parameters") instanceof List<?> l) {
                for (Object o : l) {
                    if (!(o instanceof Map<?, ?> m)) {
                        throw new StepFailedException("input: each parameter must be string(...), booleanParam(...), choice(...), text(...) or password(...)");
                    }
                    Map<String, Object> p = new LinkedHashMap<>();
                    m.forEach((k, v) -> p.put(String.valueOf(k), v));
                    params.add(p);
                }
            }
            String id = a.string("id") != null ? a.string("id") : idFrom(a.string("message"));
            InputRequest req = new InputRequest(id, a.string("message"), a.string("ok"), a.string("submitter"), params);
            c.console().println("Input requested: " + a.string("message") + " (id " + id + ")");
            InputHandler.Answer answer = handler.await(req);
            if (!answer.proceed()) {
                String why = answer.reason() != null ? answer.reason()
                        : "Rejected by " + (answer.submitter() == null ? "user" : answer.submitter());
                c.console().println(why);
                throw new FlowInterruptedException(Result.ABORTED, why);
            }
            c.console().println("Approved by " + (answer.submitter() == null ? "user" : answer.submitter()));
            Map<String, Object> values = new LinkedHashMap<>(answer.values());
            if (a.string("submitterParameter") != null) {
                values.put(a.string("submitterParameter"), answer.submitter());
            }
            if (values.isEmpty()) {
                return null;
            }
            // As in Jenkins, the submitterParameter counts as a value: one value alone is returned bare.
            return values.size() == 1 ? values.values().iterator().next() : values;
        }

        /** The id Jenkins users type: the message's words joined by dashes ("Deploy to prod?" gives Deploy-to-prod). */
        public static String idFrom(String message) {
            String id = message.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("^-+|-+$", "");
            return id.isEmpty() ? "input" : (id.length() > 60 ? id.substring(0, 60) : id);
        }
    }

    /** {@code def lib = load 'ci/lib.groovy'}. */
    public static final class Load implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("load")
                .help("Runs a Groovy file from the workspace in the same sandbox and returns it, so its functions can be called.")
                .required("path", ParamType.STRING, "The file, relative to the current directory.").positional("path")
                .needsWorkspace().notJournaled().build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) throws Exception {
            String path = a.string("path");
            if (!c.workspace().exists(path)) {
                throw new StepFailedException("load: " + path + " does not exist in " + c.workspace().path());
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (InputStream in = c.workspace().read(path)) {
                in.transferTo(buf);
            }
            ScriptLoader loader = c.service(ScriptLoader.class).orElseThrow(() -> new StepFailedException("load: no script loader"));
            return loader.load(path, buf.toString(StandardCharsets.UTF_8));
        }
    }

    /** {@code build job: 'other', parameters: [...]}: needs a controller; see {@link BuildStep}. */
    public static final class Build implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("build")
                .help("Triggers another job's build on the controller and by default waits for it: its result becomes this"
                        + " step's (FAILURE fails it, UNSTABLE marks this build unstable) unless propagate is false."
                        + " Returns the build (result, number, absoluteUrl, buildVariables), or null with wait: false.")
                .required("job", ParamType.STRING, "The job: a full name (team/api), or relative to this job's folder"
                        + " as Jenkins resolves it (sibling, ../other, /absolute).").positional("job")
                .optional("parameters", ParamType.LIST, null, "Parameters: string(name:, value:), booleanParam(name:, value:),"
                        + " text(...), password(...), choice(name:, value:).")
                .optional("wait", ParamType.BOOLEAN, true, "Wait for the build to finish.")
                .optional("propagate", ParamType.BOOLEAN, true, "Take on the other build's result: fail when it fails,"
                        + " become unstable when it is unstable.")
                .optional("quietPeriod", ParamType.INTEGER, null, "Seconds to wait before the build is queued (default 0).")
                .optional("waitForStart", ParamType.BOOLEAN, false, "With wait: false, wait until the build has started"
                        + " and return it.")
                .build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) throws InterruptedException {
            return BuildStep.run(c, a);
        }
    }
}
