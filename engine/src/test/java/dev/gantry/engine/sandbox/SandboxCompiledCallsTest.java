package dev.gantry.engine.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import groovyjarjarasm.asm.ClassReader;
import groovyjarjarasm.asm.ClassVisitor;
import groovyjarjarasm.asm.Handle;
import groovyjarjarasm.asm.MethodVisitor;
import groovyjarjarasm.asm.Opcodes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.tools.GroovyClass;
import org.junit.jupiter.api.Test;

/**
 * Step calls compile to direct calls: an invokedynamic call site would be linked the first time
 * each call runs, which a pipeline of many steps pays once per step.
 */
class SandboxCompiledCallsTest {

    /** The invokedynamic call sites in the closures' {@code doCall} methods, as "name args". */
    private static List<String> dynamicCallsInClosures(String script) {
        CompilationUnit unit = new CompilationUnit(SandboxHarness.config());
        unit.addSource("Jenkinsfile", script);
        unit.compile(Phases.CLASS_GENERATION);
        List<String> found = new ArrayList<>();
        int closures = 0;
        for (GroovyClass c : unit.getClasses()) {
            if (!c.getName().contains("_closure")) {
                continue;
            }
            closures++;
            new ClassReader(c.getBytes()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    if (!name.equals("doCall")) {
                        return null;
                    }
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitInvokeDynamicInsn(String indyName, String desc, Handle bootstrap, Object... args) {
                            found.add(indyName + " " + Arrays.toString(args));
                        }
                    };
                }
            }, 0);
        }
        assertTrue(closures > 0, "no closure classes compiled");
        return found;
    }

    @Test
    void stepCallsInsideClosuresLinkNoCallSite() {
        assertEquals(List.of(), dynamicCallsInClosures("node { sh 'make'; echo 'done'; dir('x') { sh 'ls' } }"));
    }
}
