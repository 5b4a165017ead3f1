package dev.gantry.engine.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.AnnotationNode;
import org.codehaus.groovy.ast.ClassCodeExpressionTransformer;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.ConstructorNode;
import org.codehaus.groovy.ast.DynamicVariable;
import org.codehaus.groovy.ast.FieldNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.VariableScope;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.ArrayExpression;
import org.codehaus.groovy.ast.expr.AttributeExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.CastExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.ConstructorCallExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.NamedArgumentListExpression;
import org.codehaus.groovy.ast.expr.PostfixExpression;
import org.codehaus.groovy.ast.expr.PrefixExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.SpreadExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.DoWhileStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.ForStatement;
import org.codehaus.groovy.ast.stmt.ReturnStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.ast.stmt.WhileStatement;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.classgen.ReturnAdder;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.SyntaxException;
import org.codehaus.groovy.syntax.Token;
import org.codehaus.groovy.syntax.Types;

/**
 * Rewrites pipeline code so that everything it does to objects goes through {@link SandboxRuntime}:
 * calls, property and field access, subscripts, operators, casts, method pointers. Also inserts
 * {@link SandboxRuntime#checkpoint()} at the start of every loop iteration, closure body and method
 * body, and marks each class it compiled with {@link SandboxedCode}. Runs in CANONICALIZATION, when
 * names are resolved and variable scopes known, before Groovy adds its own generated code.
 */
final class SandboxTransformer extends CompilationCustomizer {
    private static final ClassNode RUNTIME = ClassHelper.make(SandboxRuntime.class);
    /** {@code Closure.composeSelf(int)}: with 0, the closure itself. */
    private static final MethodNode COMPOSE_SELF = ClassHelper.CLOSURE_TYPE.getMethod("composeSelf",
            new Parameter[] {new Parameter(ClassHelper.int_TYPE, "times")});
    private static final ClassNode MARKER = ClassHelper.make(SandboxedCode.class);
    private static final ClassNode GENERATED = ClassHelper.make(groovy.transform.Generated.class);

    private static final Map<Integer, String> OPERATORS = Map.ofEntries(
            Map.entry(Types.PLUS, "plus"), Map.entry(Types.MINUS, "minus"), Map.entry(Types.MULTIPLY, "multiply"),
            Map.entry(Types.DIVIDE, "div"), Map.entry(Types.INTDIV, "intdiv"), Map.entry(Types.MOD, "mod"),
            Map.entry(Types.POWER, "power"), Map.entry(Types.LEFT_SHIFT, "leftShift"),
            Map.entry(Types.RIGHT_SHIFT, "rightShift"), Map.entry(Types.RIGHT_SHIFT_UNSIGNED, "rightShiftUnsigned"),
            Map.entry(Types.BITWISE_AND, "and"), Map.entry(Types.BITWISE_OR, "or"), Map.entry(Types.BITWISE_XOR, "xor"));
    private static final Map<Integer, String> COMPOUND = Map.ofEntries(
            Map.entry(Types.PLUS_EQUAL, "plus"), Map.entry(Types.MINUS_EQUAL, "minus"),
            Map.entry(Types.MULTIPLY_EQUAL, "multiply"), Map.entry(Types.DIVIDE_EQUAL, "div"),
            Map.entry(Types.INTDIV_EQUAL, "intdiv"), Map.entry(Types.MOD_EQUAL, "mod"),
            Map.entry(Types.POWER_EQUAL, "power"), Map.entry(Types.LEFT_SHIFT_EQUAL, "leftShift"),
            Map.entry(Types.RIGHT_SHIFT_EQUAL, "rightShift"), Map.entry(Types.RIGHT_SHIFT_UNSIGNED_EQUAL, "rightShiftUnsigned"),
            Map.entry(Types.BITWISE_AND_EQUAL, "and"), Map.entry(Types.BITWISE_OR_EQUAL, "or"),
            Map.entry(Types.BITWISE_XOR_EQUAL, "xor"));

    SandboxTransformer() {
        super(CompilePhase.CANONICALIZATION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.getAnnotations(MARKER).isEmpty()) {
            return;
        }
        classNode.addAnnotation(new AnnotationNode(MARKER));
        checkSuperclass(source, classNode);
        new Rewriter(source, classNode).visitClass(classNode);
    }

    private static void checkSuperclass(SourceUnit source, ClassNode classNode) {
        if (classNode.isScript() || classNode.isInterface() || classNode.isEnum()) {
            return;
        }
        ClassNode parent = classNode.getUnresolvedSuperClass(false);
        if (parent == null || parent.redirect().isPrimaryClassNode() || ClassHelper.OBJECT_TYPE.equals(parent)) {
            return;
        }
        Class<?> type;
        try {
            type = parent.redirect().getTypeClass();
        } catch (RuntimeException e) {
            return;
        }
        if (!SandboxRuntime.PERMISSIONS.anyConstructorAllowed(type)) {
            error(source, classNode, "Scripts not permitted to extend " + type.getName()
                    + " (class " + classNode.getNameWithoutPackage() + "): none of its constructors is allowed");
        }
    }

    static void error(SourceUnit source, ASTNode node, String message) {
        source.addError(new SyntaxException(message, node.getLineNumber(), node.getColumnNumber(),
                node.getLastLineNumber(), node.getLastColumnNumber()));
    }

    /** Whether a conversion to {@code type} can run code and so must be checked at run time. */
    static boolean needsCheckedCast(ClassNode type) {
        if (type == null || ClassHelper.isDynamicTyped(type) || type.redirect().isPrimaryClassNode()) {
            return false;
        }
        ClassNode plain = type.redirect();
        if (ClassHelper.isPrimitiveType(plain)) {
            return false;
        }
        try {
            return !SandboxRuntime.isHarmlessTarget(plain.getTypeClass());
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static final class Rewriter extends ClassCodeExpressionTransformer {
        private final SourceUnit source;
        private final ClassNode current;
        private int closureDepth;
        private MethodNode method;

        Rewriter(SourceUnit source, ClassNode current) {
            this.source = source;
            this.current = current;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        protected void visitConstructorOrMethod(MethodNode node, boolean isConstructor) {
            // Groovy marks the static initializer synthetic, but at this phase it holds only the
            // class's own static { } blocks: user code, which must be checked like any method.
            boolean staticInitializer = "<clinit>".equals(node.getName());
            if ((node.isSynthetic() && !staticInitializer) || node.getName().contains("$") || isGenerated(node)
                    || (current.isScript() && node.isStatic() && "main".equals(node.getName()))) {
                return;
            }
            if (node.getCode() == null) {
                return;
            }
            if (staticInitializer) {
                visitStaticBlocks(node);
                return;
            }
            if (!isConstructor && needsCheckedCast(node.getReturnType())) {
                new ReturnAdder().visitMethod(node);
            }
            for (Parameter p : node.getParameters()) {
                if (p.hasInitialExpression() && needsCheckedCast(p.getType())) {
                    p.setInitialExpression(checkedCast(p.getInitialExpression(), p.getType(), false));
                }
            }
            MethodNode outer = method;
            method = node;
            try {
                super.visitConstructorOrMethod(node, isConstructor);
            } finally {
                method = outer;
            }
            Statement code = node.getCode();
            if (code instanceof BlockStatement block) {
                List<Statement> statements = block.getStatements();
                int at = isConstructor && !statements.isEmpty() && isSpecialConstructorCall(statements.get(0)) ? 1 : 0;
                statements.add(at, checkpoint());
            } else {
                node.setCode(prepend(code, node.getVariableScope()));
            }
        }

        /**
         * The statements of {@code static { }} blocks in the static initializer; those the compiler
         * put there (enum constants, with no line number) call Groovy internals on purpose and stay.
         */
        private void visitStaticBlocks(MethodNode clinit) {
            if (!(clinit.getCode() instanceof BlockStatement block)) {
                return;
            }
            MethodNode outer = method;
            method = clinit;
            try {
                for (Statement s : block.getStatements()) {
                    if (s.getLineNumber() > 0) {
                        s.visit(this);
                    }
                }
            } finally {
                method = outer;
            }
        }

        /** Members the compiler wrote (enum constructors, for instance) call Groovy internals on purpose. */
        private static boolean isGenerated(MethodNode node) {
            return !node.getAnnotations(GENERATED).isEmpty();
        }

        private static boolean isSpecialConstructorCall(Statement s) {
            return s instanceof ExpressionStatement es && es.getExpression() instanceof ConstructorCallExpression cce
                    && cce.isSpecialCall();
        }

        @Override
        public void visitField(FieldNode node) {
            super.visitField(node);
            if (node.hasInitialExpression() && needsCheckedCast(node.getType())) {
                node.setInitialValueExpression(checkedCast(node.getInitialExpression(), node.getType(), false));
            }
        }

        @Override
        public void visitReturnStatement(ReturnStatement statement) {
            super.visitReturnStatement(statement);
            if (closureDepth == 0 && method != null && !(method instanceof ConstructorNode)
                    && needsCheckedCast(method.getReturnType())) {
                statement.setExpression(checkedCast(statement.getExpression(), method.getReturnType(), false));
            }
        }

        @Override
        public void visitForLoop(ForStatement loop) {
            super.visitForLoop(loop);
            loop.setLoopBlock(prepend(loop.getLoopBlock(), null));
        }

        @Override
        public void visitWhileLoop(WhileStatement loop) {
            super.visitWhileLoop(loop);
            loop.setLoopBlock(prepend(loop.getLoopBlock(), null));
        }

        @Override
        public void visitDoWhileLoop(DoWhileStatement loop) {
            super.visitDoWhileLoop(loop);
            loop.setLoopBlock(prepend(loop.getLoopBlock(), null));
        }

        private static Statement prepend(Statement body, VariableScope scope) {
            if (body instanceof BlockStatement block) {
                block.getStatements().add(0, checkpoint());
                return block;
            }
            BlockStatement block = new BlockStatement(new ArrayList<>(List.of(checkpoint(), body)),
                    scope != null ? scope : new VariableScope());
            block.setSourcePosition(body);
            return block;
        }

        private static Statement checkpoint() {
            return new ExpressionStatement(runtime("checkpoint"));
        }

        @Override
        public Expression transform(Expression exp) {
            if (exp == null) {
                return null;
            }
            Expression out = rewrite(exp);
            if (out != exp && out.getLineNumber() < 0) {
                out.setSourcePosition(exp);
            }
            return out;
        }

        private Expression rewrite(Expression exp) {
            if (exp instanceof ClosureExpression c) {
                closure(c);
                return c;
            }
            if (exp instanceof DeclarationExpression d) {
                return declaration(d);
            }
            if (exp instanceof BinaryExpression b) {
                return binary(b);
            }
            if (exp instanceof MethodCallExpression m) {
                return methodCall(m);
            }
            if (exp instanceof StaticMethodCallExpression s) {
                return at(runtime("callStatic", classOf(s.getOwnerType()), constant(s.getMethod()), arguments(s.getArguments())), s);
            }
            if (exp instanceof ConstructorCallExpression c) {
                if (c.isSpecialCall() || c.isUsingAnonymousInnerClass()) {
                    return c.transformExpression(this);
                }
                return at(runtime("construct", classOf(c.getType()), arguments(c.getArguments())), c);
            }
            if (exp instanceof MethodPointerExpression p) {
                return at(runtime("methodPointer", transform(p.getExpression()), transform(p.getMethodName())), p);
            }
            if (exp instanceof AttributeExpression a) {
                return at(runtime("getAttribute", transform(a.getObjectExpression()), transform(a.getProperty()),
                        bool(a.isSafe()), bool(a.isSpreadSafe())), a);
            }
            if (exp instanceof PropertyExpression p) {
                if (isSuper(p.getObjectExpression())) {
                    error(source, p, "Scripts not permitted to access properties through super; call the getter instead");
                    return p;
                }
                return at(runtime("getProperty", transform(p.getObjectExpression()), transform(p.getProperty()),
                        bool(p.isSafe()), bool(p.isSpreadSafe())), p);
            }
            if (exp instanceof VariableExpression v) {
                if (v.getAccessedVariable() instanceof DynamicVariable && !v.isThisExpression() && !v.isSuperExpression()) {
                    return at(runtime("getImplicit", self(), constant(v.getName())), v);
                }
                return v;
            }
            if (exp instanceof CastExpression c) {
                Expression inner = transform(c.getExpression());
                if (!c.isCoerce() && !needsCheckedCast(c.getType())) {
                    CastExpression copy = new CastExpression(c.getType(), inner, c.isIgnoringAutoboxing());
                    copy.setStrict(c.isStrict());
                    return at(copy, c);
                }
                return at(new CastExpression(c.getType(), runtime("cast", inner, classOf(c.getType()), bool(c.isCoerce()))), c);
            }
            if (exp instanceof PostfixExpression p) {
                return step(p, p.getExpression(), p.getOperation(), true);
            }
            if (exp instanceof PrefixExpression p) {
                return step(p, p.getExpression(), p.getOperation(), false);
            }
            return exp.transformExpression(this);
        }

        private void closure(ClosureExpression c) {
            closureDepth++;
            try {
                if (c.getParameters() != null) {
                    for (Parameter p : c.getParameters()) {
                        if (p.hasInitialExpression()) {
                            Expression init = transform(p.getInitialExpression());
                            p.setInitialExpression(needsCheckedCast(p.getType()) ? checkedCast(init, p.getType(), false) : init);
                        }
                    }
                }
                c.getCode().visit(this);
                c.setCode(prepend(c.getCode(), c.getVariableScope()));
            } finally {
                closureDepth--;
            }
        }

        private Expression declaration(DeclarationExpression d) {
            Expression rhs = d.getRightExpression();
            if (d.isMultipleAssignmentDeclaration()) {
                TupleExpression vars = d.getTupleExpression();
                for (Expression e : vars.getExpressions()) {
                    if (e instanceof VariableExpression v && !v.isDynamicTyped() && needsCheckedCast(v.getOriginType())) {
                        error(source, v, "Scripts not permitted to use a typed multiple assignment to " + v.getOriginType().getName()
                                + "; declare the variables with def and convert them one by one");
                    }
                }
                d.setRightExpression(at(runtime("destructure", transform(rhs),
                        new ConstantExpression(vars.getExpressions().size(), true)), rhs));
                return d;
            }
            Expression value = transform(rhs);
            VariableExpression v = d.getVariableExpression();
            if (!v.isDynamicTyped() && needsCheckedCast(v.getOriginType())) {
                value = checkedCast(value, v.getOriginType(), false);
            }
            d.setRightExpression(value);
            return d;
        }

        private Expression binary(BinaryExpression b) {
            int op = b.getOperation().getType();
            Expression left = b.getLeftExpression();
            if (op == Types.ASSIGN) {
                return assign(b, left, transform(b.getRightExpression()));
            }
            String compound = COMPOUND.get(op);
            if (compound != null) {
                return compound(b, left, compound, transform(b.getRightExpression()));
            }
            if (op == Types.ELVIS_EQUAL) {
                error(source, b, "Scripts not permitted to use ?= here; write x = x ?: value");
                return b;
            }
            if (op == Types.LEFT_SQUARE_BRACKET) {
                return at(runtime("getAt", transform(left), bool(b.isSafe()), transform(b.getRightExpression())), b);
            }
            String operator = OPERATORS.get(op);
            if (operator != null) {
                return at(runtime("call", transform(left), constant(operator), bool(false), bool(false),
                        array(List.of(transform(b.getRightExpression())))), b);
            }
            return b.transformExpression(this);
        }

        /** The field of the class being compiled that {@code this.name} (outside closures) names, or null. */
        private FieldNode ownField(PropertyExpression p) {
            if (closureDepth > 0 || p.isSafe() || p.isSpreadSafe() || !(p.getObjectExpression() instanceof VariableExpression v)
                    || !v.isThisExpression() || !(p.getProperty() instanceof ConstantExpression c) || !(c.getValue() instanceof String name)) {
                return null;
            }
            FieldNode field = current.getDeclaredField(name);
            return field == null || field.isStatic() != (method != null && method.isStatic()) ? null : field;
        }

        private Expression assign(BinaryExpression b, Expression left, Expression value) {
            if (left instanceof VariableExpression v) {
                if (v.getAccessedVariable() instanceof DynamicVariable) {
                    return at(runtime("setImplicit", self(), constant(v.getName()), value), b);
                }
                Expression checked = !v.isDynamicTyped() && needsCheckedCast(v.getOriginType())
                        ? checkedCast(value, v.getOriginType(), false) : value;
                return at(new BinaryExpression(v, b.getOperation(), checked), b);
            }
            if (left instanceof AttributeExpression a) {
                return at(runtime("setAttribute", transform(a.getObjectExpression()), transform(a.getProperty()),
                        bool(a.isSafe()), bool(a.isSpreadSafe()), value), b);
            }
            FieldNode field = left instanceof PropertyExpression p ? ownField(p) : null;
            if (field != null) {
                // this.x = v for a field of this very class writes the field, as Groovy does inside
                // a class; as a dynamic property write it would call the setter that the compiler
                // made for a script's @Field, whose own body is this same write: endless recursion.
                Expression checked = needsCheckedCast(field.getType()) ? checkedCast(value, field.getType(), false) : value;
                return at(new BinaryExpression(new org.codehaus.groovy.ast.expr.FieldExpression(field), b.getOperation(), checked), b);
            }
            if (left instanceof PropertyExpression p) {
                return at(runtime("setProperty", transform(p.getObjectExpression()), transform(p.getProperty()),
                        bool(p.isSafe()), bool(p.isSpreadSafe()), value), b);
            }
            if (left instanceof BinaryExpression sub && sub.getOperation().getType() == Types.LEFT_SQUARE_BRACKET) {
                return at(runtime("putAt", transform(sub.getLeftExpression()), bool(sub.isSafe()),
                        transform(sub.getRightExpression()), value), b);
            }
            if (left instanceof TupleExpression t) {
                for (Expression e : t.getExpressions()) {
                    if (!(e instanceof VariableExpression v) || v.getAccessedVariable() instanceof DynamicVariable) {
                        error(source, e, "Scripts not permitted to assign to this in a multiple assignment; use local variables");
                        return b;
                    }
                }
                return at(new BinaryExpression(t, b.getOperation(),
                        runtime("destructure", value, new ConstantExpression(t.getExpressions().size(), true))), b);
            }
            error(source, b, "Scripts not permitted to assign to " + left.getText());
            return b;
        }

        private Expression compound(BinaryExpression b, Expression left, String operator, Expression value) {
            if (left instanceof VariableExpression v) {
                if (v.getAccessedVariable() instanceof DynamicVariable) {
                    return at(runtime("compoundImplicit", self(), constant(v.getName()), constant(operator), value), b);
                }
                Expression result = runtime("call", v, constant(operator), bool(false), bool(false), array(List.of(value)));
                result.setSourcePosition(b);
                return at(new BinaryExpression(v, Token.newSymbol(Types.ASSIGN, b.getOperation().getStartLine(),
                        b.getOperation().getStartColumn()), result), b);
            }
            if (left instanceof AttributeExpression) {
                error(source, b, "Scripts not permitted to use a compound assignment on a field (.@); write it out");
                return b;
            }
            if (left instanceof PropertyExpression p) {
                return at(runtime("compoundProperty", transform(p.getObjectExpression()), transform(p.getProperty()),
                        constant(operator), value), b);
            }
            if (left instanceof BinaryExpression sub && sub.getOperation().getType() == Types.LEFT_SQUARE_BRACKET) {
                return at(runtime("compoundAt", transform(sub.getLeftExpression()), transform(sub.getRightExpression()),
                        constant(operator), value), b);
            }
            error(source, b, "Scripts not permitted to use a compound assignment on " + left.getText());
            return b;
        }

        private Expression step(Expression original, Expression target, Token operation, boolean postfix) {
            String operator = operation.getType() == Types.PLUS_PLUS ? "next" : "previous";
            if (target instanceof VariableExpression v) {
                if (v.getAccessedVariable() instanceof DynamicVariable) {
                    return at(runtime("stepImplicit", self(), constant(v.getName()), constant(operator), bool(postfix)), original);
                }
                return original;
            }
            if (target instanceof AttributeExpression) {
                error(source, original, "Scripts not permitted to use ++ or -- on a field (.@); write it out");
                return original;
            }
            if (target instanceof PropertyExpression p) {
                return at(runtime("stepProperty", transform(p.getObjectExpression()), transform(p.getProperty()),
                        constant(operator), bool(postfix)), original);
            }
            if (target instanceof BinaryExpression sub && sub.getOperation().getType() == Types.LEFT_SQUARE_BRACKET) {
                return at(runtime("stepAt", transform(sub.getLeftExpression()), transform(sub.getRightExpression()),
                        constant(operator), bool(postfix)), original);
            }
            return original.transformExpression(this);
        }

        private Expression methodCall(MethodCallExpression m) {
            Expression name = transform(m.getMethod());
            Expression args = arguments(m.getArguments());
            Expression receiver = m.getObjectExpression();
            if (m.isImplicitThis() && receiver instanceof VariableExpression v && v.isThisExpression()) {
                return at(runtime("callImplicit", self(), name, args), m);
            }
            if (isSuper(receiver)) {
                return at(runtime("callSuper", classOf(current), new VariableExpression("this"), name, args), m);
            }
            return at(runtime("call", transform(receiver), name, bool(m.isSafe()), bool(m.isSpreadSafe()), args), m);
        }

        private static boolean isSuper(Expression e) {
            return e instanceof VariableExpression v && v.isSuperExpression();
        }

        /** The arguments of a call as an {@code Object[]} expression. */
        private Expression arguments(Expression args) {
            List<Expression> in = args instanceof TupleExpression t ? t.getExpressions() : List.of(args);
            List<Expression> out = new ArrayList<>(in.size());
            boolean spread = false;
            for (Expression e : in) {
                if (e instanceof NamedArgumentListExpression named) {
                    List<MapEntryExpression> entries = new ArrayList<>();
                    for (MapEntryExpression entry : named.getMapEntryExpressions()) {
                        MapEntryExpression copy = new MapEntryExpression(transform(entry.getKeyExpression()),
                                transform(entry.getValueExpression()));
                        copy.setSourcePosition(entry);
                        entries.add(copy);
                    }
                    MapExpression map = new MapExpression(entries);
                    map.setSourcePosition(named);
                    out.add(map);
                } else if (e instanceof SpreadExpression s) {
                    spread = true;
                    SpreadExpression copy = new SpreadExpression(transform(s.getExpression()));
                    copy.setSourcePosition(s);
                    out.add(copy);
                } else {
                    out.add(transform(e));
                }
            }
            if (spread) {
                return runtime("spreadArguments", new ListExpression(out));
            }
            return array(out);
        }

        private Expression self() {
            if (closureDepth > 0) {
                // The closure object itself: an implicit-this call inside a closure is dispatched on the closure
                // (ClosureMetaClass), and composeSelf(0) is the closure's own method returning itself.
                MethodCallExpression me = new MethodCallExpression(new VariableExpression("this"), "composeSelf",
                        new ArgumentListExpression(new ConstantExpression(0, true)));
                me.setImplicitThis(true);
                // A direct call on the closure object (ALOAD 0): without a target each step call
                // would link an invokedynamic call site of its own the first time it runs.
                me.setMethodTarget(COMPOSE_SELF);
                return me;
            }
            return new VariableExpression("this");
        }

        private Expression checkedCast(Expression value, ClassNode type, boolean coerce) {
            Expression call = runtime("cast", value, classOf(type), bool(coerce));
            call.setSourcePosition(value);
            CastExpression cast = new CastExpression(type, call);
            cast.setSourcePosition(value);
            return cast;
        }

        private static Expression at(Expression replacement, ASTNode original) {
            replacement.setSourcePosition(original);
            return replacement;
        }

        /**
         * A call of {@code SandboxRuntime.name(args)}, compiled as a direct {@code invokestatic}:
         * with its method target set, Groovy links no invokedynamic call site for it, which
         * would cost a bootstrap per call site the first time a pipeline runs.
         */
        private static Expression runtime(String name, Expression... args) {
            List<MethodNode> targets = RUNTIME.getMethods(name);
            if (targets.size() != 1) {
                return new StaticMethodCallExpression(RUNTIME, name, new ArgumentListExpression(args));
            }
            MethodCallExpression call = new MethodCallExpression(new ClassExpression(RUNTIME), name, new ArgumentListExpression(args));
            call.setMethodTarget(targets.get(0));
            call.setImplicitThis(false);
            return call;
        }

        private static Expression classOf(ClassNode type) {
            return new ClassExpression(type.getPlainNodeReference());
        }

        private static Expression constant(String s) {
            return new ConstantExpression(s);
        }

        private static Expression bool(boolean b) {
            return new ConstantExpression(b, true);
        }

        private static Expression array(List<Expression> values) {
            return new ArrayExpression(ClassHelper.OBJECT_TYPE, new ArrayList<>(values));
        }
    }
}
