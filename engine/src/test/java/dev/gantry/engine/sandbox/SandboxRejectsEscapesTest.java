package dev.gantry.engine.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per escape technique. {@code MARKER} in a snippet is replaced by a path in a temporary
 * directory that must not exist afterwards; the system property {@code gantry.sandbox.escaped} must
 * stay unset. Each case must fail with "not permitted" (at run time or compile time).
 */
class SandboxRejectsEscapesTest {
    private static final String PROPERTY = "gantry.sandbox.escaped";

    @TempDir
    Path dir;

    static Stream<Arguments> escapes() {
        return Stream.of(
                Arguments.of("new File", "new File('MARKER').createNewFile()"),
                Arguments.of("new File with two arguments", "new File('MARKER', 'x').mkdirs()"),
                Arguments.of("string as File", "('MARKER' as File).createNewFile()"),
                Arguments.of("implicit cast of a list to File", "File f = ['MARKER']; f.createNewFile()"),
                Arguments.of("map constructor of File", "new File(path: 'MARKER')"),
                Arguments.of("map as File", "([path: 'MARKER'] as File).createNewFile()"),
                Arguments.of("typed return converting a list to File", "File f() { ['MARKER'] }\nf().createNewFile()"),
                Arguments.of("String.execute", "'touch MARKER'.execute().waitFor()"),
                Arguments.of("List.execute", "['sh', '-c', 'touch MARKER'].execute().waitFor()"),
                Arguments.of("ProcessGroovyMethods static call",
                        "org.codehaus.groovy.runtime.ProcessGroovyMethods.execute('touch MARKER').waitFor()"),
                Arguments.of("new ProcessBuilder", "new ProcessBuilder('touch', 'MARKER').start().waitFor()"),
                Arguments.of("Runtime.getRuntime", "Runtime.getRuntime().exec('touch MARKER')"),
                Arguments.of("Runtime.runtime property", "Runtime.runtime.exec('touch MARKER')"),
                Arguments.of("System.exit", "System.exit(3)"),
                Arguments.of("System.setProperty", "System.setProperty('" + PROPERTY + "', 'yes')"),
                Arguments.of("System.getProperty", "System.getProperty('user.home')"),
                Arguments.of("System.getenv", "System.getenv()"),
                Arguments.of("System.properties", "System.properties['" + PROPERTY + "'] = 'yes'"),
                Arguments.of("static import of System.setProperty",
                        "import static java.lang.System.setProperty\nsetProperty('" + PROPERTY + "', 'yes')"),
                Arguments.of("static import alias", "import static java.lang.System.setProperty as sp\nsp('" + PROPERTY + "', 'yes')"),
                Arguments.of("Class.forName", "Class.forName('java.io.File')"),
                Arguments.of("String.forName through a class", "String.forName('java.io.File')"),
                Arguments.of("this.class.classLoader", "this.class.classLoader.loadClass('java.io.File')"),
                Arguments.of("getClass().getClassLoader()", "getClass().getClassLoader()"),
                Arguments.of("string as Class", "('java.io.File' as Class).newInstance('MARKER').createNewFile()"),
                Arguments.of("Class.newInstance", "File.newInstance('MARKER').createNewFile()"),
                Arguments.of("reflection getDeclaredMethod and invoke",
                        "System.getDeclaredMethod('setProperty', String, String).invoke(null, '" + PROPERTY + "', 'yes')"),
                Arguments.of("Thread.start", "Thread.start { System.setProperty('" + PROPERTY + "', 'yes') }.join()"),
                Arguments.of("new Thread", "new Thread({ -> }).start()"),
                Arguments.of("coerced map as Runnable into a Thread", "new Thread([run: { -> }] as Runnable).start()"),
                Arguments.of("Eval.me", "Eval.me(\"System.setProperty('" + PROPERTY + "', 'yes')\")"),
                Arguments.of("Script.evaluate", "evaluate(\"System.setProperty('" + PROPERTY + "', 'yes')\")"),
                Arguments.of("new GroovyShell", "new GroovyShell().evaluate(\"System.setProperty('" + PROPERTY + "', 'yes')\")"),
                Arguments.of("Script.run of another script", "new GroovyShell().parse('1').run()"),
                Arguments.of("String metaClass change", "String.metaClass.foo = { -> 1 }"),
                Arguments.of("object metaClass invokeMethod", "def o = 'x'; o.metaClass.invokeMethod = { String n, a -> 1 }"),
                Arguments.of("this.metaClass", "this.metaClass.methodMissing = { String n, a -> 1 }"),
                Arguments.of("method pointer System.&exit", "def e = System.&exit; e(3)"),
                Arguments.of("method pointer Runtime.&getRuntime", "def r = Runtime.&getRuntime; r()"),
                Arguments.of("method reference File::new", "def mk = File::new; mk('MARKER').createNewFile()"),
                Arguments.of("spread call on a list of classes", "[System]*.setProperty('" + PROPERTY + "', 'yes')"),
                Arguments.of("closure delegate change", "def c = { exit(3) }; c.delegate = System; c()"),
                Arguments.of("closure setDelegate", "def c = { exit(3) }; c.setDelegate(System); c()"),
                Arguments.of("closure resolveStrategy change", "def c = { -> 1 }; c.resolveStrategy = Closure.TO_SELF"),
                Arguments.of("delegate assignment inside the closure", "def c = { delegate = System; exit(3) }; c()"),
                Arguments.of("with on a class", "System.with { setProperty('" + PROPERTY + "', 'yes') }"),
                Arguments.of("java.nio.file.Files", "java.nio.file.Files.createFile(java.nio.file.Paths.get('MARKER'))"),
                Arguments.of("Paths.get", "java.nio.file.Paths.get('MARKER')"),
                Arguments.of("URL.text", "new URL('file:///etc/hostname').text"),
                Arguments.of("URL text through a typed variable", "URL u = ['file:///etc/hostname']; u.text"),
                Arguments.of("new Socket", "new Socket('localhost', 1)"),
                Arguments.of("getAt on a class reads a property", "System['properties']"),
                Arguments.of("getAt property read on an object", "def r = 'x'; r.getClass()['classLoader']"),
                Arguments.of("GroovySystem", "GroovySystem.metaClassRegistry"),
                Arguments.of("InvokerHelper", "org.codehaus.groovy.runtime.InvokerHelper.invokeStaticMethod(System, 'setProperty', ['"
                        + PROPERTY + "', 'yes'] as Object[])"),
                Arguments.of("DefaultGroovyMethods.invokeMethod", "'x'.invokeMethod('execute', null)"),
                Arguments.of("Script.invokeMethod", "this.invokeMethod('evaluate', '1')"),
                Arguments.of("binding replacement", "this.binding = new Binding()"),
                Arguments.of("super call to Script", "class S extends Script { def run() { super.evaluate('1') } }\nnew S().run()"),
                Arguments.of("extending a dangerous class", "class W extends FileOutputStream { W() { super('MARKER') } }\nnew W()"),
                Arguments.of("anonymous subclass of Thread", "new Thread() { void run() { } }.start()"),
                Arguments.of("@Grab", "@Grab('commons-io:commons-io:2.15.1')\nimport org.apache.commons.io.FileUtils\n1"),
                Arguments.of("@GrabResolver", "@GrabResolver(name='x', root='http://localhost:1/')\nimport java.util.List\n1"),
                Arguments.of("@ASTTest", "@groovy.transform.ASTTest(phase=groovy.transform.CompilePhase.CONVERSION, value={ "
                        + "System.setProperty('" + PROPERTY + "', 'yes') })\ndef x = 1"),
                Arguments.of("@Immutable", "@groovy.transform.Immutable class P { String a }\n1"),
                Arguments.of("annotation alias disguised as Field", "import groovy.transform.ASTTest as Field\n@Field(value={ "
                        + "System.setProperty('" + PROPERTY + "', 'yes') }) def x = 1"),
                Arguments.of("annotation type declaration", "@interface Mine {}\n1"),
                Arguments.of("@BaseScript", "@groovy.transform.BaseScript groovy.lang.Script base\n1"),
                Arguments.of("@Field static initializer", "import groovy.transform.Field\n@Field static f = new File('MARKER').createNewFile()\n1"),
                Arguments.of("attribute write to a closure field", "def c = { -> 1 }; c.@delegate = System"),
                Arguments.of("System.out", "System.out.println('x')"),
                Arguments.of("DGM getProperties on an object", "new Object().properties"),
                Arguments.of("file append operator", "def f = new File('MARKER'); f << 'x'"),
                Arguments.of("trait", "trait T { def x() { 1 } }\n1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void isRejectedWithoutSideEffect(String technique, String snippet) {
        Path marker = dir.resolve("escaped");
        String text = snippet.replace("MARKER", marker.toString());
        SandboxHarness h = new SandboxHarness();
        System.clearProperty(PROPERTY);
        try {
            h.run(text, Map.of());
            fail(technique + ": ran without rejection");
        } catch (SandboxRejection e) {
            assertTrue(e.getMessage().contains("not permitted"), e.getMessage());
            assertFalse(e.signature().isEmpty());
        } catch (MultipleCompilationErrorsException e) {
            assertTrue(e.getMessage().contains("not permitted"), e.getMessage());
        } catch (ExceptionInInitializerError e) {
            // Static initializers of script classes run when the script is instantiated.
            assertTrue(e.getCause() instanceof SandboxRejection r && r.getMessage().contains("not permitted"), String.valueOf(e.getCause()));
        } finally {
            assertFalse(Files.exists(marker), technique + ": created " + marker);
            assertNull(System.getProperty(PROPERTY), technique + ": set a system property");
            System.clearProperty(PROPERTY);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void corpusHasDistinctTechniques(String technique, String snippet) {
        List<String> names = escapes().map(a -> (String) a.get()[0]).toList();
        assertEquals(1, names.stream().filter(technique::equals).count(), "duplicate case name " + technique);
        assertTrue(names.size() >= 30);
    }
}
