package dev.gantry.engine.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.engine.local.PipelineHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds of one script share its compiled class, unless the script could keep state in it. */
class CompiledScriptsTest {
    @TempDir
    Path dir;

    @Test
    void theSameTextIsCompiledOnce() throws Exception {
        String script = "pipeline { agent any\n stages { stage('A') { steps { echo 'cached " + System.nanoTime() + "' } } } }\n";
        Class<?> first = ScriptRunner.compileChecked("Jenkinsfile", script);
        assertSame(first, ScriptRunner.compileChecked("Jenkinsfile", script));
        assertNotSame(first, ScriptRunner.compileChecked("Jenkinsfile", script + "// edited\n"));
        assertNotSame(first, ScriptRunner.compileChecked("other/Jenkinsfile", script), "the file name is part of the class");
    }

    @Test
    void aScriptWithStaticStateIsCompiledForEveryBuild() throws Exception {
        String script = """
                class Counter { static int count = 0 }
                node {
                  Counter.count = Counter.count + 1
                  echo "count is ${Counter.count}"
                }
                """;
        assertFalse(CompiledScripts.shareable(ScriptRunner.compileChecked("Jenkinsfile", script)));
        assertNotSame(ScriptRunner.compileChecked("Jenkinsfile", script), ScriptRunner.compileChecked("Jenkinsfile", script));
        PipelineHarness.run(dir.resolve("one"), script).assertResult(Result.SUCCESS).assertLog("count is 1");
        PipelineHarness.run(dir.resolve("two"), script).assertResult(Result.SUCCESS).assertLog("count is 1").assertNoLog("count is 2");
    }

    @Test
    void scriptFieldsStartAfreshInEveryBuildOfASharedClass() throws Exception {
        String script = """
                import groovy.transform.Field
                @Field int runs = 0
                node {
                  runs = runs + 1
                  echo "runs is ${runs}"
                }
                """;
        assertTrue(CompiledScripts.shareable(ScriptRunner.compileChecked("Jenkinsfile", script)));
        PipelineHarness.run(dir.resolve("one"), script).assertResult(Result.SUCCESS).assertLog("runs is 1");
        PipelineHarness.run(dir.resolve("two"), script).assertResult(Result.SUCCESS).assertLog("runs is 1").assertNoLog("runs is 2");
    }

    @Test
    void theLeastRecentlyUsedClassLeavesAFullCache() {
        CompiledScripts cache = new CompiledScripts(2);
        cache.get("a", "1", () -> A.class);
        cache.get("b", "2", () -> B.class);
        cache.get("a", "1", () -> C.class);
        cache.get("c", "3", () -> C.class);
        assertSame(A.class, cache.get("a", "1", () -> C.class), "a was used last, so b left");
        assertSame(D.class, cache.get("b", "2", () -> D.class));
        assertTrue(cache.size() <= 2);
    }

    private static final class A { }

    private static final class B { }

    private static final class C { }

    private static final class D { }
}
