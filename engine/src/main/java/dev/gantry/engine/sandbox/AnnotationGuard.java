package dev.gantry.engine.sandbox;

import java.util.Map;
import java.util.Set;
import org.codehaus.groovy.ast.AnnotatedNode;
import org.codehaus.groovy.ast.AnnotationNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.ImportNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

/**
 * Rejects, before any annotation-driven AST transformation can run, every annotation except a short
 * list that changes nothing dangerous ({@code @Field}, {@code @Override}, {@code @SuppressWarnings},
 * {@code @Deprecated}, {@code @NonCPS}), and annotation type declarations (which could name a
 * transformation). Runs in CONVERSION, so names are checked as written: import aliases and star
 * imports that could make a safe-looking simple name mean something else are checked too.
 */
final class AnnotationGuard extends CompilationCustomizer {
    /** Annotations pipelines may use. {@code @Field} turns a script variable into a field; the rest are markers. */
    static final Set<String> SAFE = Set.of("groovy.transform.Field", "java.lang.Override", "java.lang.SuppressWarnings",
            "java.lang.Deprecated", "java.lang.FunctionalInterface", "com.cloudbees.groovy.cps.NonCPS");

    private static final Map<String, String> SAFE_BY_SIMPLE_NAME = Map.of("Field", "groovy.transform.Field",
            "Override", "java.lang.Override", "SuppressWarnings", "java.lang.SuppressWarnings", "Deprecated",
            "java.lang.Deprecated", "FunctionalInterface", "java.lang.FunctionalInterface", "NonCPS",
            "com.cloudbees.groovy.cps.NonCPS");

    private static final Set<String> COMPILER_ADDED = Set.of("groovy.transform.BaseScript", "groovy.transform.Generated",
            "groovy.transform.Internal");

    AnnotationGuard() {
        super(CompilePhase.CONVERSION);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        ModuleNode module = source.getAST();
        boolean first = module.getClasses().isEmpty() || module.getClasses().get(0) == classNode;
        if (classNode.isAnnotationDefinition()) {
            SandboxTransformer.error(source, classNode, "Scripts not permitted to declare annotation types (@interface "
                    + classNode.getNameWithoutPackage() + ")");
        }
        new Visitor(source, module, first).visitClass(classNode);
    }

    private static final class Visitor extends ClassCodeVisitorSupport {
        private final SourceUnit source;
        private final ModuleNode module;
        private final boolean first;

        Visitor(SourceUnit source, ModuleNode module, boolean first) {
            this.source = source;
            this.module = module;
            this.first = first;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        @Override
        public void visitImports(ModuleNode node) {
            if (first) {
                super.visitImports(node);
            }
        }

        @Override
        public void visitPackage(org.codehaus.groovy.ast.PackageNode node) {
            if (first) {
                super.visitPackage(node);
            }
        }

        @Override
        public void visitClosureExpression(ClosureExpression expression) {
            if (expression.getParameters() != null) {
                for (Parameter p : expression.getParameters()) {
                    visitAnnotations(p);
                }
            }
            super.visitClosureExpression(expression);
        }

        @Override
        public void visitAnnotations(AnnotatedNode node) {
            for (AnnotationNode a : node.getAnnotations()) {
                String name = a.getClassNode().getName();
                // The compiler itself adds these, without a source position: @BaseScript for the configured
                // script base class, @Generated and @Internal on members it writes (enums, for example).
                boolean synthetic = a.getLineNumber() < 0 && COMPILER_ADDED.contains(name);
                if (!synthetic && !allowed(name)) {
                    String what = name.equals("Grab") || name.endsWith(".Grab") || name.startsWith("Grab") || name.contains(".Grab")
                            ? " (fetching libraries with Grape is not available to pipelines)" : "";
                    SandboxTransformer.error(source, a, "Scripts not permitted to use the annotation @" + name + what
                            + "; only @Field, @Override, @SuppressWarnings, @Deprecated and @NonCPS are allowed");
                }
            }
            super.visitAnnotations(node);
        }

        private boolean allowed(String name) {
            if (name.indexOf('.') >= 0) {
                return SAFE.contains(name);
            }
            String meant = SAFE_BY_SIMPLE_NAME.get(name);
            if (meant == null) {
                return false;
            }
            for (ImportNode i : module.getImports()) {
                if (i.getAlias().equals(name) && !i.getClassName().equals(meant)) {
                    return false;
                }
            }
            for (ClassNode c : module.getClasses()) {
                if (c.getNameWithoutPackage().equals(name)) {
                    return false;
                }
            }
            for (ImportNode i : module.getStarImports()) {
                String candidate = i.getPackageName() + name;
                if (!candidate.equals(meant) && exists(candidate)) {
                    return false;
                }
            }
            return true;
        }

        private boolean exists(String className) {
            try {
                Class.forName(className, false, source.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}
