package dev.gantry.engine.pipeline;

import dev.gantry.engine.steps.StepLibrary;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.stmt.ReturnStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.messages.ExceptionMessage;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SimpleMessage;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * {@code gantry lint} as a library: parses a Jenkinsfile with Groovy's own parser (never running
 * it) and reports every problem it can find before anything runs: Groovy syntax errors, the
 * declarative grammar, and step calls checked against the {@link StepLibrary}. Immutable and
 * thread-safe; one instance serves any number of concurrent calls.
 */
public final class PipelineLinter {
    private static final Pattern DECLARATIVE_TEXT = Pattern.compile("(?m)^\\s*pipeline\\s*\\{");
    private static final Pattern SHARED_LIBRARY = Pattern.compile("@Library\\b|\\blibrary\\s*[('\"]|\\blibraries\\s*\\{");
    private static final String EMPTY = "the file is empty: a pipeline needs pipeline { ... } or node { ... }";

    private final StepLibrary steps;
    private final Set<String> agentTypes;

    /** A linter for these steps, with the agent types that need no plugin (any, none, label, node). */
    public PipelineLinter(StepLibrary steps) {
        this(steps, DeclarativeGrammar.DEFAULT_AGENT_TYPES);
    }

    /**
     * A linter for these steps and agent types.
     *
     * @param availableAgentTypes the agent types that can run here, e.g. with {@code docker} when
     *     the docker plugin is installed; others are reported as needing their plugin
     */
    public PipelineLinter(StepLibrary steps, Set<String> availableAgentTypes) {
        this.steps = Objects.requireNonNull(steps, "steps");
        this.agentTypes = Set.copyOf(new LinkedHashSet<>(availableAgentTypes));
    }

    /**
     * Lints a file's raw bytes: content that is not valid UTF-8 (or has NUL bytes) is reported as
     * one problem, "not a text file". Never throws for bad input.
     *
     * @param fileName the name used in messages; not opened
     * @param content the file's bytes
     */
    public LintResult lint(String fileName, byte[] content) {
        return text(content).map(t -> lintText(fileName, t)).orElseGet(PipelineLinter::notText);
    }

    /**
     * A pipeline file's text: strict UTF-8, no NUL bytes, without a leading byte-order mark; empty
     * when the bytes are not such text. The one decoder that linting and running share.
     */
    public static Optional<String> text(byte[] content) {
        for (byte b : content) {
            if (b == 0) {
                return Optional.empty();
            }
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
            return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * Lints a file's text. Text with NUL characters, or with U+FFFD (what decoding invalid UTF-8
     * leaves), is reported as one problem, "not a text file". Never throws for bad input.
     *
     * @param fileName the name used for the Groovy source unit; problems carry no file name
     * @param source the file's text
     * @return the kind and every problem found, sorted by position
     */
    public LintResult lint(String fileName, String source) {
        if (source.indexOf('\0') >= 0 || source.indexOf('\uFFFD') >= 0) {
            return notText();
        }
        return lintText(fileName, source);
    }

    private static LintResult notText() {
        return new LintResult(PipelineKind.SCRIPTED, List.of(new Problem(1, 1,
                "not a text file: a Jenkinsfile must be UTF-8 text without NUL bytes")));
    }

    private LintResult lintText(String fileName, String source) {
        if (source.startsWith("\uFEFF")) {
            source = source.substring(1);
        }
        if (source.isBlank()) {
            return new LintResult(PipelineKind.SCRIPTED, List.of(new Problem(1, 1, EMPTY)));
        }
        PipelineKind guess = DECLARATIVE_TEXT.matcher(source).find() ? PipelineKind.DECLARATIVE : PipelineKind.SCRIPTED;
        Reporter reporter = new Reporter();
        ModuleNode module;
        try {
            module = parse(fileName, source, reporter);
        } catch (StackOverflowError e) {
            return new LintResult(guess, List.of(new Problem(1, 1,
                    "the file is nested too deeply to parse; split deep expressions or blocks")));
        }
        if (module == null) {
            return new LintResult(guess, reporter.problems());
        }
        try {
            return new LintResult(check(module, source, reporter), reporter.problems());
        } catch (StackOverflowError e) {
            reporter.at(1, 1, "the file is nested too deeply to check; split deep expressions or blocks");
            return new LintResult(guess, reporter.problems());
        } catch (RuntimeException e) {
            reporter.at(1, 1, "the linter failed on this file (" + e + "); please report it with the file");
            return new LintResult(guess, reporter.problems());
        }
    }

    /** Parses to an AST, or reports the syntax errors and returns null. */
    private static ModuleNode parse(String fileName, String source, Reporter reporter) {
        CompilerConfiguration config = new CompilerConfiguration();
        CompilationUnit unit = new CompilationUnit(config);
        SourceUnit su = unit.addSource(fileName == null ? "Jenkinsfile" : fileName, source);
        try {
            unit.compile(Phases.CONVERSION);
        } catch (CompilationFailedException e) {
            List<? extends Message> errors = su.getErrorCollector().getErrors();
            if (errors == null || errors.isEmpty()) {
                errors = unit.getErrorCollector().getErrors();
            }
            if (errors == null || errors.isEmpty()) {
                reporter.at(1, 1, "Groovy cannot parse the file: " + clean(e.getMessage()));
            } else {
                for (Message m : errors) {
                    report(m, reporter);
                }
            }
            return null;
        }
        return su.getAST();
    }

    private static void report(Message m, Reporter reporter) {
        if (m instanceof SyntaxErrorMessage s) {
            SyntaxException x = s.getCause();
            reporter.at(x.getLine(), x.getStartColumn(), "Groovy syntax error: " + clean(x.getOriginalMessage()));
        } else if (m instanceof ExceptionMessage em) {
            reporter.at(1, 1, "Groovy cannot parse the file: " + clean(String.valueOf(em.getCause().getMessage())));
        } else if (m instanceof SimpleMessage sm) {
            reporter.at(1, 1, "Groovy cannot parse the file: " + clean(sm.getMessage()));
        } else {
            reporter.at(1, 1, "Groovy cannot parse the file");
        }
    }

    private static String clean(String message) {
        if (message == null) {
            return "unknown error";
        }
        String m = message.replace("startup failed:", "").strip();
        int nl = m.indexOf('\n');
        m = nl >= 0 ? m.substring(0, nl) : m;
        return m.replaceAll("\\s*@ line \\d+, column \\d+\\.?$", "").strip();
    }

    private PipelineKind check(ModuleNode module, String source, Reporter reporter) {
        List<Statement> top = new ArrayList<>(module.getStatementBlock().getStatements());
        // An empty script gets a synthetic "return null"; it is not code the user wrote.
        top.removeIf(st -> st instanceof ReturnStatement rs && rs.getExpression() instanceof ConstantExpression ce
                && ce.getValue() == null && rs.getLineNumber() < 0);
        boolean hasCode = !top.isEmpty() || !module.getMethods().isEmpty();
        for (ClassNode c : module.getClasses()) {
            hasCode |= !c.isScript() && !c.getName().equals(module.getScriptClassDummy().getName());
        }
        if (!hasCode) {
            reporter.at(1, 1, "the file has no code: a pipeline needs pipeline { ... } or node { ... }");
            return PipelineKind.SCRIPTED;
        }
        boolean libraries = SHARED_LIBRARY.matcher(source).find();
        StepCallChecker checker = new StepCallChecker(steps, reporter, module, !libraries);
        List<Call> pipelines = new ArrayList<>();
        List<Statement> others = new ArrayList<>();
        for (Statement s : top) {
            Call c = Call.of(s);
            if (c != null && c.name.equals("pipeline") && !checker.isFunction("pipeline")) {
                pipelines.add(c);
            } else {
                others.add(s);
            }
        }
        for (Statement s : others) {
            checker.checkCode(s);
        }
        for (MethodNode m : module.getMethods()) {
            if (m.getCode() != null) {
                checker.checkCode(m.getCode());
            }
        }
        if (pipelines.isEmpty()) {
            return PipelineKind.SCRIPTED;
        }
        DeclarativeValidator validator = new DeclarativeValidator(reporter, checker, agentTypes);
        validator.pipeline(pipelines.get(0));
        for (Call extra : pipelines.subList(1, pipelines.size())) {
            reporter.at(extra.node, "Only one pipeline { } block is allowed in a file; the first is at line "
                    + pipelines.get(0).node.getLineNumber());
        }
        return PipelineKind.DECLARATIVE;
    }
}
