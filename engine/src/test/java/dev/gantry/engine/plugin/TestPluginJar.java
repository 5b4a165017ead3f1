package dev.gantry.engine.plugin;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars for tests: Java sources compiled with javac against the test class
 * path (plugin API and PF4J), PF4J's annotation processor writing the extension index, a PF4J
 * manifest, and libraries nested under {@code lib/} as {@code plugins/pom.xml} packages them.
 */
public final class TestPluginJar {
    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<Path> libs = new ArrayList<>();
    private final List<Path> compileOnly = new ArrayList<>();
    private String fileName;

    private TestPluginJar() {
    }

    /** A plugin with this id and version in its manifest. */
    public static TestPluginJar plugin(String id, String version) {
        TestPluginJar j = new TestPluginJar();
        if (id != null) {
            j.manifest.put("Plugin-Id", id);
        }
        if (version != null) {
            j.manifest.put("Plugin-Version", version);
        }
        j.fileName = (id == null ? "unnamed" : id) + ".jar";
        return j;
    }

    public TestPluginJar manifest(String name, String value) {
        manifest.put(name, value);
        return this;
    }

    public TestPluginJar requires(String range) {
        return manifest("Plugin-Requires", range);
    }

    public TestPluginJar dependencies(String deps) {
        return manifest("Plugin-Dependencies", deps);
    }

    public TestPluginJar pluginClass(String name) {
        return manifest("Plugin-Class", name);
    }

    public TestPluginJar fileName(String name) {
        this.fileName = name;
        return this;
    }

    /** A Java source; {@code className} is fully qualified. */
    public TestPluginJar source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** A library nested as {@code lib/<name>} and on the compile class path. */
    public TestPluginJar lib(Path jar) {
        libs.add(jar);
        return this;
    }

    /**
     * A step class {@code pkg.Name} called {@code stepName} whose body is {@code runBody}
     * (Java statements with {@code context} and {@code args} in scope, ending in a return).
     */
    public TestPluginJar step(String className, String stepName, String runBody) {
        int dot = className.lastIndexOf('.');
        String code = "package " + className.substring(0, dot) + ";\n"
                + "import dev.gantry.api.step.*;\nimport dev.gantry.api.support.SimpleStep;\n"
                + "@org.pf4j.Extension\npublic class " + className.substring(dot + 1) + " extends SimpleStep {\n"
                + "  public " + className.substring(dot + 1) + "() { super(\"" + stepName + "\", \"test step\", d -> d.optional(\"value\", ParamType.STRING, null, \"a value\").positional(\"value\")); }\n"
                + "  @Override public Object run(StepContext context, StepArguments args) throws Exception {\n" + runBody + "\n  }\n}\n";
        return source(className, code);
    }

    /** A jar on the compile class path only (another plugin's classes), not packed. */
    public TestPluginJar compileAgainst(Path jar) {
        compileOnly.add(jar);
        return this;
    }

    /** Compiles and packs the plugin into {@code dir}; returns the jar. */
    public Path build(Path dir) throws IOException {
        Path work = workDir(dir);
        Path classes = work.resolve("classes");
        List<Path> cp = new ArrayList<>(libs);
        cp.addAll(compileOnly);
        compile(sources, classes, cp, true);
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((k, v) -> m.getMainAttributes().putValue(k, v));
        Files.createDirectories(dir);
        Path jar = dir.resolve(fileName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            addTree(out, classes);
            for (Path lib : libs) {
                out.putNextEntry(new JarEntry("lib/" + lib.getFileName()));
                Files.copy(lib, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** A plain library jar with one class, for nesting in plugins. */
    public static Path library(Path dir, String jarName, String className, String code) throws IOException {
        Path work = workDir(dir);
        Path classes = work.resolve("classes");
        compile(Map.of(className, code), classes, List.of(), false);
        Path jar = dir.resolve(jarName);
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            addTree(out, classes);
        }
        return jar;
    }

    /** A fresh directory beside {@code dir} (never in it: the plugins folder must hold jars only). */
    private static Path workDir(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent().resolve("plugin-builds");
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, "build-");
    }

    private static void compile(Map<String, String> sources, Path classes, List<Path> libs, boolean process) throws IOException {
        Files.createDirectories(classes);
        if (sources.isEmpty()) {
            return;
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, code) -> units.add(new SimpleJavaFileObject(
                java.net.URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        }));
        StringBuilder cp = new StringBuilder(System.getProperty("java.class.path"));
        libs.forEach(l -> cp.append(java.io.File.pathSeparator).append(l));
        List<String> options = new ArrayList<>(List.of("-d", classes.toString(), "-cp", cp.toString(), "--release", "21"));
        if (process) {
            options.addAll(List.of("-processor", "org.pf4j.processor.ExtensionAnnotationProcessor"));
        } else {
            options.add("-proc:none");
        }
        StringWriter diagnostics = new StringWriter();
        Boolean ok = javac.getTask(diagnostics, null, null, options, null, units).call();
        if (!ok) {
            throw new IllegalStateException("test plugin sources do not compile:\n" + diagnostics);
        }
    }

    private static void addTree(JarOutputStream out, Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            out.putNextEntry(new JarEntry(root.relativize(f).toString().replace('\\', '/')));
            Files.copy(f, out);
            out.closeEntry();
        }
    }
}
