package dev.gantry.engine.sandbox;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.control.CompilerConfiguration;

/** Compiles and runs pipeline text the way the engine will: sandboxed, on {@link TestPipelineScript}. */
final class SandboxHarness {
    final List<String> calls = new ArrayList<>();
    final Binding binding = new Binding();

    SandboxHarness() {
        binding.setVariable("calls", calls);
    }

    static CompilerConfiguration config() {
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.setScriptBaseClass(TestPipelineScript.class.getName());
        Sandbox.configure(cc);
        return cc;
    }

    Script parse(String text) {
        return new GroovyShell(SandboxHarness.class.getClassLoader(), binding, config()).parse(text, "Jenkinsfile");
    }

    Object run(String text) {
        return parse(text).run();
    }

    Object run(String text, Map<String, Object> variables) {
        variables.forEach(binding::setVariable);
        return run(text);
    }
}
