package dev.gantry.engine.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.engine.local.LocalRun;
import dev.gantry.engine.run.InvalidPipelineException;
import dev.gantry.engine.steps.StepLibrary;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sandbox escape corpus run as real pipelines (compiled and run by the engine, as
 * {@code gantry run} does): {@link SandboxRejectsEscapesTest}'s techniques plus more. Each must be
 * refused with a message naming what was refused, at compile time or at run time, and must leave
 * no trace: {@code MARKER} stands for a file that must not exist afterwards, and the system
 * property {@code gantry.sandbox.escaped} must stay unset. Run-time refusals reach the build's
 * approval policy with the signature the message names.
 */
class PipelineEscapesTest {
    private static final String PROPERTY = "gantry.sandbox.escaped";
    private static final StepLibrary STEPS = StepLibrary.builtins();

    @TempDir
    Path dir;

    static Stream<Arguments> more() {
        String set = "System.setProperty('" + PROPERTY + "', 'yes')";
        return Stream.of(
                Arguments.of("category use of ProcessGroovyMethods", "use(org.codehaus.groovy.runtime.ProcessGroovyMethods) { 'touch MARKER'.execute() }"),
                Arguments.of("ExpandoMetaClass.enableGlobally", "ExpandoMetaClass.enableGlobally()"),
                Arguments.of("new ExpandoMetaClass", "def emc = new ExpandoMetaClass(String); emc.initialize()"),
                Arguments.of("invokeMethod override in a script class",
                        "class X { def invokeMethod(String n, Object a) { " + set + " } }\nnew X().anything()"),
                Arguments.of("getProperty override in a script class",
                        "class P { def getProperty(String n) { new File('MARKER').createNewFile() } }\nnew P().x"),
                Arguments.of("GString lazy evaluation passed to a step", "echo \"${-> new File('MARKER').createNewFile()}\""),
                Arguments.of("import alias of Runtime", "import java.lang.Runtime as R\nR.getRuntime().exec('touch MARKER')"),
                Arguments.of("static initializer of a script class", "class S { static { new File('MARKER').createNewFile() } }\nnew S()"),
                Arguments.of("static block of an enum", "enum E { A; static { new File('MARKER').createNewFile() } }\nE.A"),
                Arguments.of("@CompileStatic method", "@groovy.transform.CompileStatic\ndef f() { new File('MARKER').createNewFile() }\nf()"),
                Arguments.of("@TypeChecked class", "@groovy.transform.TypeChecked\nclass T { def f() { " + set + " } }\nnew T().f()"),
                Arguments.of("@Newify", "@Newify(File)\ndef f() { File('MARKER').createNewFile() }\nf()"),
                Arguments.of("reflection setAccessible", "def f = String.getDeclaredField('value'); f.setAccessible(true)"),
                Arguments.of("URL.openConnection", "new URL('http://127.0.0.1:1/').openConnection().connect()"),
                Arguments.of("GroovyClassLoader.parseClass", "new GroovyClassLoader().parseClass('class Q {}')"),
                Arguments.of("MethodHandles.lookup", "java.lang.invoke.MethodHandles.lookup()"),
                Arguments.of("ScriptBytecodeAdapter", "org.codehaus.groovy.runtime.ScriptBytecodeAdapter.invokeMethodN(null, System, 'setProperty', ['"
                        + PROPERTY + "', 'yes'] as Object[])"),
                Arguments.of("Closure.rehydrate onto System", "{ -> setProperty('" + PROPERTY + "', 'yes') }.rehydrate(System, System, System)()"),
                Arguments.of("context class loader of the thread", "Thread.currentThread().contextClassLoader.loadClass('java.io.File')"),
                Arguments.of("sun.misc.Unsafe", "sun.misc.Unsafe.theUnsafe"),
                Arguments.of("javax.script engine", "new javax.script.ScriptEngineManager().getEngineByName('groovy')"),
                Arguments.of("collect over a list of classes", "[System].collect { it.setProperty('" + PROPERTY + "', 'yes') }"),
                Arguments.of("method pointer in a map", "def m = [go: System.&setProperty]; m.go('" + PROPERTY + "', 'yes')"),
                Arguments.of("environment block calling System", "pipeline { agent none; environment { X = System.getProperty('user.home') }\n"
                        + "stages { stage('s') { steps { echo X } } } }"),
                Arguments.of("script block in a declarative stage", "pipeline { agent none\nstages { stage('s') { steps { script { "
                        + set + " } } } } }"));
    }

    static Stream<Arguments> escapes() {
        return Stream.concat(SandboxRejectsEscapesTest.escapes(), more());
    }

    /** Records what the sandbox reports, as the controller's approvals do. */
    static final class Recorder implements ApprovalPolicy {
        final List<String> rejected = new CopyOnWriteArrayList<>();

        @Override
        public boolean isApproved(String signature) {
            return false;
        }

        @Override
        public void rejected(String signature, boolean approvable) {
            rejected.add(signature);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void isRefusedInARealPipelineWithoutSideEffect(String technique, String snippet) throws Exception {
        Path marker = dir.resolve("escaped");
        String text = snippet.replace("MARKER", marker.toString());
        System.clearProperty(PROPERTY);
        Recorder recorder = new Recorder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            LocalRun.Outcome o = new LocalRun(STEPS, dir.resolve("ws")).job("escape").service(ApprovalPolicy.class, recorder)
                    .run("Jenkinsfile", text, out);
            String log = out.toString(StandardCharsets.UTF_8);
            assertEquals(Result.FAILURE, o.result(), technique + ":\n" + log);
            int at = log.indexOf("Scripts not permitted to ");
            assertTrue(at >= 0, technique + ": no rejection in the log:\n" + log);
            String named = log.substring(at + "Scripts not permitted to ".length()).lines().findFirst().orElse("");
            assertTrue(named.matches("(use|extend|declare|access) \\S.*"), technique + ": the message names nothing: " + named);
            if (log.contains("Scripts not permitted to use ")) {
                assertFalse(recorder.rejected.isEmpty(), technique + ": the rejection did not reach the approval policy");
                String sig = recorder.rejected.get(0);
                assertTrue(log.contains(sig), technique + ": the log does not name the recorded signature " + sig + ":\n" + log);
            }
        } catch (InvalidPipelineException e) {
            assertTrue(e.getMessage().contains("not permitted"), technique + ": refused at compile time, but not by the sandbox: "
                    + e.getMessage());
        } finally {
            assertFalse(Files.exists(marker), technique + ": created " + marker);
            assertNull(System.getProperty(PROPERTY), technique + ": set a system property");
            System.clearProperty(PROPERTY);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("more")
    void corpusHasDistinctTechniques(String technique, String snippet) {
        List<String> names = escapes().map(a -> (String) a.get()[0]).toList();
        assertEquals(1, names.stream().filter(technique::equals).count(), "duplicate case name " + technique);
        assertTrue(names.size() >= 30);
    }
}
