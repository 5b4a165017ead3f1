package dev.gantry.api.support;

import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.workspace.Workspace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apiguardian.api.API;

/**
 * A base class that takes the boilerplate out of a plugin step: the descriptor is built once in
 * the constructor from a name, a help text and the parameters, and {@link #run} receives the
 * bound arguments. A whole step:
 *
 * <pre>{@code
 * @Extension
 * public class GreetStep extends SimpleStep {
 *     public GreetStep() {
 *         super("greet", "Prints a greeting.", d -> d
 *                 .required("name", ParamType.STRING, "Who to greet.").positional("name"));
 *     }
 *
 *     @Override
 *     public Object run(StepContext context, StepArguments args) {
 *         context.console().println("Hello, " + args.string("name") + "!");
 *         return null;
 *     }
 * }
 * }</pre>
 *
 * <p>Subclasses follow {@link Step}'s contract: one instance serves every build, so keep no
 * per-call state in fields.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class SimpleStep implements Step {
    private final StepDescriptor descriptor;

    /**
     * A step called {@code name}.
     *
     * @param name the name pipelines call the step by (a Groovy identifier)
     * @param help what the step does, in one or two sentences
     * @param parameters declares the parameters on the builder it is given and returns it
     *     ({@code d -> d.required(...).optional(...)}); may also set {@code needsWorkspace()} or a body
     * @throws IllegalArgumentException when the name is not an identifier or a parameter is declared twice
     */
    protected SimpleStep(String name, String help, UnaryOperator<StepDescriptor.Builder> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        this.descriptor = parameters.apply(StepDescriptor.builder(name).help(help)).build();
    }

    /** A step without parameters. */
    protected SimpleStep(String name, String help) {
        this(name, help, d -> d);
    }

    @Override
    public final StepDescriptor descriptor() {
        return descriptor;
    }

    /**
     * Reads a workspace file as UTF-8 text.
     *
     * @throws IOException naming the path when it cannot be read
     */
    protected static String readText(Workspace workspace, String path) throws IOException {
        try (InputStream in = workspace.read(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Writes UTF-8 text to a workspace file, creating parent directories and replacing what was there. */
    protected static void writeText(Workspace workspace, String path, String text) throws IOException {
        workspace.write(path, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The parameter types, re-exported so that a step's imports stay short. */
    protected static final ParamType STRING = ParamType.STRING;
    /** See {@link #STRING}. */
    protected static final ParamType BOOLEAN = ParamType.BOOLEAN;
    /** See {@link #STRING}. */
    protected static final ParamType INTEGER = ParamType.INTEGER;

    /** {@inheritDoc} */
    @Override
    public abstract Object run(StepContext context, StepArguments arguments) throws Exception;
}
