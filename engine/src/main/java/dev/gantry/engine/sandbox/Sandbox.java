package dev.gantry.engine.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import org.codehaus.groovy.control.CompilerConfiguration;

/**
 * Entry point of the pipeline sandbox: {@link #configure} makes a compiler configuration produce
 * sandboxed code, whose every call, property access, cast and method pointer is checked at run time by
 * {@link SandboxRuntime} against the default allow-list ({@code default-allowlist.txt} next to this
 * class) and {@link dev.gantry.api.PipelineSafe}; annotations that trigger AST transformations and
 * {@code @Grab} are rejected at compile time.
 */
public final class Sandbox {
    private static final String GLOBAL_TRANSFORMS = "META-INF/services/org.codehaus.groovy.transform.ASTTransformation";

    private Sandbox() {
    }

    /**
     * Adds the sandbox to {@code cc}: the annotation guard (CONVERSION phase), the rewriting transformer
     * (CANONICALIZATION phase), and disables every global AST transformation found on the class path
     * ({@code @Grab} among them). Call once per configuration, before compiling; the script base class
     * is the caller's business ({@code cc.setScriptBaseClass}).
     *
     * @param cc the configuration to change; not null
     */
    public static void configure(CompilerConfiguration cc) {
        cc.addCompilationCustomizers(new AnnotationGuard(), new SandboxTransformer());
        Set<String> disabled = new HashSet<>();
        if (cc.getDisabledGlobalASTTransformations() != null) {
            disabled.addAll(cc.getDisabledGlobalASTTransformations());
        }
        disabled.add("groovy.grape.GrabAnnotationTransformation");
        disabled.addAll(globalTransforms(Sandbox.class.getClassLoader()));
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            disabled.addAll(globalTransforms(context));
        }
        cc.setDisabledGlobalASTTransformations(disabled);
    }

    private static Set<String> globalTransforms(ClassLoader loader) {
        Set<String> out = new HashSet<>();
        try {
            Enumeration<URL> files = loader.getResources(GLOBAL_TRANSFORMS);
            while (files.hasMoreElements()) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(files.nextElement().openStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        String s = line.strip();
                        if (!s.isEmpty() && !s.startsWith("#")) {
                            out.add(s);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list global AST transformations on the class path", e);
        }
        return out;
    }
}
