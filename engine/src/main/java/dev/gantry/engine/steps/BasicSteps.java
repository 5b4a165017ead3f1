package dev.gantry.engine.steps;

import dev.gantry.api.Result;
import dev.gantry.api.step.BodyKind;
import dev.gantry.api.step.ContextChange;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Steps that print, fail, mark a build unstable, wait, or just run their body. */
public final class BasicSteps {
    private BasicSteps() {
    }

    static final List<String> UNITS = List.of("NANOSECONDS", "MICROSECONDS", "MILLISECONDS", "SECONDS", "MINUTES", "HOURS", "DAYS");

    /** {@code echo 'text'}. */
    public static final class Echo implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("echo")
                .help("Prints a message to the console log.")
                .required("message", ParamType.STRING, "The text to print.").positional("message").build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) {
            c.console().println(a.string("message"));
            return null;
        }
    }

    /** {@code error 'message'}. */
    public static final class Error implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("error")
                .help("Fails the build (or the enclosing catchError/try) with a message and no stack trace.")
                .required("message", ParamType.STRING, "Why the build fails.").positional("message").build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) {
            throw new StepFailedException(a.string("message"));
        }
    }

    /** {@code unstable 'message'}. */
    public static final class Unstable implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("unstable")
                .help("Marks the build and the current stage UNSTABLE, prints a warning, and goes on.")
                .required("message", ParamType.STRING, "Why the build is unstable.").positional("message").build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) {
            c.console().warn(a.string("message"));
            c.run().setResult(Result.UNSTABLE);
            c.run().setStageResult(Result.UNSTABLE);
            return null;
        }
    }

    /** {@code sleep 5} / {@code sleep time: 100, unit: 'MILLISECONDS'}. */
    public static final class Sleep implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("sleep")
                .help("Pauses the pipeline for a while; an abort or timeout ends the pause.")
                .required("time", ParamType.INTEGER, "How long.").positional("time")
                .choice("unit", false, "SECONDS", UNITS, "The unit of time (default SECONDS).").build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) throws InterruptedException {
            long nanos = TimeUnit.valueOf(a.string("unit")).toNanos(a.integer("time"));
            c.console().println("Sleeping for " + a.integer("time") + " " + a.string("unit").toLowerCase(java.util.Locale.ROOT));
            if (nanos < TimeUnit.SECONDS.toNanos(1)) {
                TimeUnit.NANOSECONDS.sleep(nanos);
                c.checkInterrupted();
                return null;
            }
            // Wall-clock, from the call's first start: a sleep resumed after a controller restart sleeps what is left.
            long start = c.service(dev.gantry.engine.run.StepStart.class).map(dev.gantry.engine.run.StepStart::firstStartMillis)
                    .orElseGet(System::currentTimeMillis);
            long deadline = start + TimeUnit.NANOSECONDS.toMillis(nanos);
            for (long left = deadline - System.currentTimeMillis(); left > 0; left = deadline - System.currentTimeMillis()) {
                TimeUnit.MILLISECONDS.sleep(Math.min(left, 1000));
                c.checkInterrupted();
            }
            return null;
        }
    }

    /** {@code script { ... }}: Groovy code inside declarative steps. */
    public static final class Script implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("script")
                .help("Runs a block of scripted pipeline code inside declarative steps.")
                .body(BodyKind.REQUIRED).advanced().build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) {
            return c.body().run();
        }
    }

    /** {@code timestamps { ... }}. */
    public static final class Timestamps implements Step {
        private static final StepDescriptor D = StepDescriptor.builder("timestamps")
                .help("Prefixes every console line written inside the block with the time of day.")
                .body(BodyKind.REQUIRED).build();

        @Override
        public StepDescriptor descriptor() { return D; }

        @Override
        public Object run(StepContext c, StepArguments a) {
            return c.body().run(ContextChange.builder().timestamps().build());
        }
    }
}
