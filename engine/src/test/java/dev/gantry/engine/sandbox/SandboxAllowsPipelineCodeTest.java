package dev.gantry.engine.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxAllowsPipelineCodeTest {

    @Test
    void realisticScriptedPipelineRuns() {
        SandboxHarness h = new SandboxHarness();
        Object result = h.run("""
                def modules = ['api', 'web', 'worker']
                def versions = [api: '1.2.3', web: '2.0.0-rc1']

                def describe(String name, Map all) {
                    def v = all.get(name) ?: 'unversioned'
                    return "${name.toUpperCase()}@${v}"
                }

                def out = []
                for (m in modules) {
                    out << describe(m, versions)
                }
                int i = 0
                while (i < 3) { i++ }
                def words = ' a, b ,c '.split(',').collect { it.trim() }.findAll { it }
                def joined = words.join('-')
                def tag = 'v1.2.3'
                def matched = (tag =~ /^v(\\d+)\\.(\\d+)\\.(\\d+)$/)
                def major = matched ? Integer.parseInt(matched[0][1]) : -1
                def kind
                switch (tag) {
                    case ~/^v\\d+.*/: kind = 'release'; break
                    case 'main': kind = 'branch'; break
                    default: kind = 'other'
                }
                def message
                try {
                    throw new IllegalStateException('boom')
                } catch (IllegalStateException e) {
                    message = e.message
                } finally {
                    out << 'finally'
                }
                def sum = [1, 2, 3].inject(0) { a, b -> a + b }
                def byLength = ['aa', 'b', 'cc'].groupBy { it.length() }
                def anyBig = [1, 5, 10].any { it > 7 }
                def sorted = [3, 1, 2].sort()
                def entries = versions.collectEntries { k, v -> [(k): v.tokenize('.').size()] }.toString()
                def sb = new StringBuilder()
                versions.each { k, v -> sb.append(k).append('=').append(v).append(';') }
                def safe = null
                def elvis = safe?.length() ?: 0
                def flag = Boolean.parseBoolean('true') && 'abc'.startsWith('a') && 'abc'.contains('b')
                def n = Math.max(3, 4) + String.valueOf(5).length()
                echo "modules: ${out.join(', ')}"
                counter = 1
                counter += 1
                return [out, joined, major, kind, message, sum, byLength, anyBig, sorted, entries, sb.toString(),
                        elvis, flag, n, i, counter, words instanceof List, 'x' * 3, String.format('%03d', 7)]
                """);
        // Compared as text: Groovy's number and map types differ from List.of/Map.of while the values are the same.
        assertEquals(List.of(List.of("API@1.2.3", "WEB@2.0.0-rc1", "WORKER@unversioned", "finally"), "a-b-c", 1, "release", "boom",
                6, "{2=[aa, cc], 1=[b]}", true, List.of(1, 2, 3), "[api:3, web:3]",
                "api=1.2.3;web=2.0.0-rc1;", 0, true, 5, 3, 2, true, "xxx", "007").toString(), String.valueOf(result));
        assertEquals(List.of("echo[modules: API@1.2.3, WEB@2.0.0-rc1, WORKER@unversioned, finally]"), h.calls);
        assertEquals(2, h.binding.getVariable("counter"));
    }

    @Test
    void closuresWithSafeDelegateAndMethodMissingDispatchLikeGroovy() {
        SandboxHarness h = new SandboxHarness();
        h.run("""
                stage('Build') {
                    steps {
                        echo 'compiling'
                        sh script: 'make', returnStatus: true
                        println agentLabel
                        sleep 2
                    }
                }
                [1, 2].each { n -> echo "item ${n}" }
                println env.BRANCH_NAME
                """);
        assertEquals(List.of("stage[Build]", "steps", "echo[compiling]", "sh[{script=make, returnStatus=true}]", "println[linux]",
                "sleep[2]", "echo[item 1]", "echo[item 2]", "println[main]"), h.calls);
    }

    @Test
    void enumsBindingAndCompoundOperatorsWork() {
        Object result = new SandboxHarness().run("""
                enum Color { RED, GREEN }
                def nested = [a: [b: 1]]
                nested.a.b++
                def list = [1, 2]
                list[0] += 5
                binding.setVariable('seen', binding.variables.containsKey('calls'))
                [Color.GREEN.name(), Color.values().size(), nested.a.b, list, seen]
                """);
        assertEquals(List.of("GREEN", 2, 2, List.of(6, 2), true), result);
    }

    @Test
    void methodPointersToAllowedMethodsWork() {
        Object result = new SandboxHarness().run("""
                def up = 'abc'.&toUpperCase
                def parse = Integer.&parseInt
                [up(), parse('42'), ['x', 'y'].collect(String::toUpperCase)]
                """);
        assertEquals(List.of("ABC", 42, List.of("X", "Y")), result);
    }

    @Test
    void fieldsCanBeAssignedInScriptsAndClasses() {
        Object result = new SandboxHarness().run("""
                import groovy.transform.Field
                @Field int runs = 0
                @Field String last
                class Box {
                    def value
                    void put(v) { this.value = v }
                }
                runs = runs + 1
                runs += 1
                last = 'set'
                this.last = last + '!'
                def b = new Box()
                b.put('boxed')
                "${runs} ${last} ${b.value}"
                """);
        assertEquals("2 set! boxed", String.valueOf(result));
    }

    @Test
    void userClassesAndFieldsWork() {
        Object result = new SandboxHarness().run("""
                import groovy.transform.Field
                @Field def prefix = 'p-'
                class Version implements Comparable {
                    int major, minor
                    Version(String s) { def p = s.tokenize('.'); major = p[0] as int; minor = p[1] as int }
                    int compareTo(Object o) { major <=> o.major ?: minor <=> o.minor }
                    String toString() { "$major.$minor" }
                }
                class BuildError extends RuntimeException {
                    BuildError(String m) { super(m) }
                }
                def vs = ['1.10', '1.2', '0.9'].collect { new Version(it) }.sort()
                def msg = ''
                try { throw new BuildError('bad') } catch (BuildError e) { msg = e.message }
                prefix + vs.join(',') + ' ' + msg
                """);
        assertEquals("p-0.9,1.2,1.10 bad", result);
    }

    @Test
    void rejectionIsCatchableOnlyAsSecurityExceptionAndNamesTheMember() {
        SandboxRejection e = assertThrows(SandboxRejection.class, () -> new SandboxHarness().run("'id'.execute()"));
        assertEquals("staticMethod org.codehaus.groovy.runtime.ProcessGroovyMethods execute java.lang.String", e.signature());
        assertTrue(e.getMessage().startsWith("Scripts not permitted to use "), e.getMessage());
    }

    @Test
    void unlistedObjectsFromTheEngineAreRejected() {
        SandboxRejection e = assertThrows(SandboxRejection.class,
                () -> new SandboxHarness().run("thing.secret()", Map.of("thing", new TestPipelineScript.Unlisted())));
        assertEquals("method dev.gantry.engine.sandbox.TestPipelineScript$Unlisted secret", e.signature());
    }

    @Test
    void compileErrorsCarryLineAndColumn() {
        var e = assertThrows(org.codehaus.groovy.control.MultipleCompilationErrorsException.class,
                () -> new SandboxHarness().parse("def x = 1\n  @groovy.transform.ASTTest(value={ assert true })\ndef y = 2\n"));
        var error = (org.codehaus.groovy.control.messages.SyntaxErrorMessage) e.getErrorCollector().getError(0);
        assertEquals(2, error.getCause().getLine());
        assertEquals(3, error.getCause().getStartColumn());
        assertTrue(error.getCause().getMessage().contains("not permitted to use the annotation @groovy.transform.ASTTest"));
    }
}
