package dev.gantry.engine.run;

import dev.gantry.api.PipelineSafe;
import groovy.lang.Closure;
import groovy.lang.GroovyObjectSupport;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime model of a declarative pipeline, collected by running its closures against the
 * small DSL objects below. Blocks that must be evaluated later, in the stage's own context
 * ({@code environment}, {@code when}, {@code steps}, {@code post}), are kept as closures. The
 * linter has already checked the structure, so the collectors are lenient.
 */
final class DeclarativeModel {
    private DeclarativeModel() {
    }

    /**
     * Runs {@code body} with {@code delegate} first, on a copy so shared closures stay untouched.
     * Afterwards the copy resolves owner-first again: closures created inside it (a post
     * condition's block, a stage's steps) are run later and must reach steps through the script,
     * not through a collector that has done its job.
     */
    static Object evalWith(Closure<?> body, Object delegate) {
        Closure<?> c = (Closure<?>) body.clone();
        c.setDelegate(delegate);
        c.setResolveStrategy(Closure.DELEGATE_FIRST);
        try {
            return c.call();
        } finally {
            c.setResolveStrategy(Closure.OWNER_FIRST);
            c.setDelegate(null);
        }
    }

    static final class Pipeline {
        Agent agent;
        Closure<?> environment;
        final List<OptionCall> options = new ArrayList<>();
        final List<Map<String, Object>> parameters = new ArrayList<>();
        final List<OptionCall> triggers = new ArrayList<>();
        final Map<String, String> tools = new LinkedHashMap<>();
        final List<Stage> stages = new ArrayList<>();
        final Map<String, Closure<?>> post = new LinkedHashMap<>();
    }

    static final class Stage {
        String name;
        Agent agent;
        Closure<?> environment;
        Map<String, String> axisEnv = Map.of();
        Closure<?> when;
        final List<OptionCall> options = new ArrayList<>();
        Closure<?> input;
        final Map<String, Closure<?>> post = new LinkedHashMap<>();
        Closure<?> steps;
        List<Stage> stages;
        List<Stage> parallel;
        Matrix matrix;
        boolean failFast;
        final Map<String, String> tools = new LinkedHashMap<>();
    }

    static final class Matrix {
        final List<Axis> axes = new ArrayList<>();
        final List<List<ExcludeAxis>> excludes = new ArrayList<>();
        final Stage template = new Stage();
    }

    record Axis(String name, List<String> values) {
    }

    record ExcludeAxis(String name, List<String> values, boolean not) {
    }

    /** An agent: type any, none, label, node, docker, dockerfile or kubernetes. */
    record Agent(String type, String label, String customWorkspace, Map<String, Object> settings) {
    }

    /** A call in {@code options} or {@code triggers}: its name and arguments. */
    record OptionCall(String name, Object[] args) {
        Map<String, Object> named() {
            return args.length == 1 && args[0] instanceof Map<?, ?> m ? stringKeys(m) : Map.of();
        }

        Object first() {
            return args.length > 0 ? args[0] : null;
        }
    }

    static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v instanceof CharSequence cs ? cs.toString() : v));
        return out;
    }

    private static MissingMethodException missing(String name, Object self, Object[] args) {
        return new MissingMethodException(name, self.getClass(), args);
    }

    /** Collects the sections of {@code pipeline { }}. */
    @PipelineSafe
    static final class PipelineDsl extends GroovyObjectSupport {
        final Pipeline model = new Pipeline();

        @Override
        public Object getProperty(String name) {
            if ("any".equals(name) || "none".equals(name)) {
                return new Agent(name, null, null, Map.of());
            }
            throw new MissingPropertyException(name, getClass());
        }

        public void agent(Object spec) { model.agent = AgentDsl.parse(spec); }

        public void environment(Closure<?> c) { model.environment = c; }

        public void options(Closure<?> c) { model.options.addAll(CallRecorder.record(c)); }

        public void triggers(Closure<?> c) { model.triggers.addAll(CallRecorder.record(c)); }

        public void parameters(Closure<?> c) { model.parameters.addAll(ParametersDsl.collect(c)); }

        public void tools(Closure<?> c) { model.tools.putAll(ToolsDsl.collect(c)); }

        public void libraries(Closure<?> c) { /* shared libraries arrive with the SCM plugin */ }

        public void stages(Closure<?> c) { model.stages.addAll(StagesDsl.collect(c)); }

        public void post(Closure<?> c) { model.post.putAll(PostDsl.collect(c)); }
    }

    /** Collects {@code stage('name') { }} entries. */
    @PipelineSafe
    static final class StagesDsl extends GroovyObjectSupport {
        final List<Stage> stages = new ArrayList<>();

        static List<Stage> collect(Closure<?> c) {
            StagesDsl d = new StagesDsl();
            evalWith(c, d);
            return d.stages;
        }

        public void stage(Object name, Closure<?> body) {
            StageDsl d = new StageDsl(String.valueOf(name));
            evalWith(body, d);
            stages.add(d.stage);
        }
    }

    /** Collects the sections of one stage (also the template of a matrix cell). */
    @PipelineSafe
    static class StageDsl extends GroovyObjectSupport {
        final Stage stage;

        StageDsl(String name) {
            this(new Stage());
            stage.name = name;
        }

        StageDsl(Stage s) {
            this.stage = s;
        }

        @Override
        public Object getProperty(String name) {
            if ("any".equals(name) || "none".equals(name)) {
                return new Agent(name, null, null, Map.of());
            }
            throw new MissingPropertyException(name, getClass());
        }

        public void agent(Object spec) { stage.agent = AgentDsl.parse(spec); }

        public void environment(Closure<?> c) { stage.environment = c; }

        public void when(Closure<?> c) { stage.when = c; }

        public void options(Closure<?> c) { stage.options.addAll(CallRecorder.record(c)); }

        public void input(Closure<?> c) { stage.input = c; }

        public void post(Closure<?> c) { stage.post.putAll(PostDsl.collect(c)); }

        public void tools(Closure<?> c) { stage.tools.putAll(ToolsDsl.collect(c)); }

        public void steps(Closure<?> c) { stage.steps = c; }

        public void stages(Closure<?> c) { stage.stages = StagesDsl.collect(c); }

        public void parallel(Closure<?> c) { stage.parallel = StagesDsl.collect(c); }

        public void failFast(boolean b) { stage.failFast = b; }

        public void matrix(Closure<?> c) {
            MatrixDsl d = new MatrixDsl();
            evalWith(c, d);
            stage.matrix = d.matrix;
        }
    }

    /** Collects {@code matrix { axes { } excludes { } ... }}. */
    @PipelineSafe
    static final class MatrixDsl extends StageDsl {
        final Matrix matrix;

        MatrixDsl() {
            this(new Matrix());
        }

        private MatrixDsl(Matrix m) {
            super(m.template);
            this.matrix = m;
        }

        public void axes(Closure<?> c) {
            AxesDsl d = new AxesDsl();
            evalWith(c, d);
            matrix.axes.addAll(d.axes);
        }

        public void excludes(Closure<?> c) {
            ExcludesDsl d = new ExcludesDsl();
            evalWith(c, d);
            matrix.excludes.addAll(d.excludes);
        }
    }

    @PipelineSafe
    static final class AxesDsl extends GroovyObjectSupport {
        final List<Axis> axes = new ArrayList<>();

        public void axis(Closure<?> c) {
            AxisDsl d = new AxisDsl();
            evalWith(c, d);
            axes.add(new Axis(d.name, d.values));
        }
    }

    @PipelineSafe
    static final class AxisDsl extends GroovyObjectSupport {
        String name;
        List<String> values = new ArrayList<>();
        boolean not;

        public void name(Object n) { name = String.valueOf(n); }

        public void values(Object... v) {
            for (Object o : v) {
                values.add(String.valueOf(o));
            }
        }

        public void notValues(Object... v) {
            not = true;
            values(v);
        }
    }

    @PipelineSafe
    static final class ExcludesDsl extends GroovyObjectSupport {
        final List<List<ExcludeAxis>> excludes = new ArrayList<>();

        public void exclude(Closure<?> c) {
            ExcludeDsl d = new ExcludeDsl();
            evalWith(c, d);
            excludes.add(d.axes);
        }
    }

    @PipelineSafe
    static final class ExcludeDsl extends GroovyObjectSupport {
        final List<ExcludeAxis> axes = new ArrayList<>();

        public void axis(Closure<?> c) {
            AxisDsl d = new AxisDsl();
            evalWith(c, d);
            axes.add(new ExcludeAxis(d.name, d.values, d.not));
        }
    }

    /** Parses the forms of {@code agent}. */
    @PipelineSafe
    static final class AgentDsl extends GroovyObjectSupport {
        Agent agent;

        static Agent parse(Object spec) {
            if (spec instanceof Agent a) {
                return a;
            }
            if (spec instanceof Closure<?> c) {
                AgentDsl d = new AgentDsl();
                evalWith(c, d);
                return d.agent == null ? new Agent("any", null, null, Map.of()) : d.agent;
            }
            if (spec instanceof Map<?, ?> m) {
                Map<String, Object> s = stringKeys(m);
                return new Agent("label", str(s.get("label")), str(s.get("customWorkspace")), s);
            }
            throw new IllegalArgumentException("agent: expected any, none or a block, got " + spec);
        }

        public void label(Object l) { agent = new Agent("label", str(l), null, Map.of()); }

        public void node(Closure<?> c) { agent = settings("node", c); }

        public void docker(Object spec) { agent = spec instanceof Closure<?> c ? settings("docker", c) : new Agent("docker", null, null, Map.of("image", str(spec))); }

        public void dockerfile(Object spec) { agent = spec instanceof Closure<?> c ? settings("dockerfile", c) : new Agent("dockerfile", null, null, Map.of()); }

        public void kubernetes(Closure<?> c) { agent = settings("kubernetes", c); }

        private static Agent settings(String type, Closure<?> c) {
            Map<String, Object> s = CallRecorder.settings(c);
            return new Agent(type, str(s.get("label")), str(s.get("customWorkspace")), s);
        }
    }

    static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** Records every call made in a block: {@code options}, {@code triggers}, agent settings. */
    @PipelineSafe
    static final class CallRecorder extends GroovyObjectSupport implements groovy.lang.GroovyInterceptable {
        final List<OptionCall> calls = new ArrayList<>();

        static List<OptionCall> record(Closure<?> c) {
            CallRecorder r = new CallRecorder();
            evalWith(c, r);
            return r.calls;
        }

        /** {@code image 'x'; args '-v ...'} as a map of setting to value. */
        static Map<String, Object> settings(Closure<?> c) {
            Map<String, Object> s = new LinkedHashMap<>();
            for (OptionCall call : record(c)) {
                s.put(call.name(), call.args().length == 1 ? (call.args()[0] instanceof CharSequence cs ? cs.toString() : call.args()[0]) : List.of(call.args()));
            }
            return s;
        }

        @Override
        public Object invokeMethod(String name, Object args) {
            Object[] a = args instanceof Object[] arr ? arr : new Object[] {args};
            // A call used as another call's argument (logRotator inside buildDiscarder) is not an option itself.
            for (Object o : a) {
                calls.remove(o);
            }
            OptionCall call = new OptionCall(name, a);
            calls.add(call);
            return call;
        }

        /**
         * A class constant as an argument ({@code threshold: hudson.model.Result.SUCCESS}): its
         * dotted name. Other names fall through to the script ({@code params}, {@code env}).
         */
        @Override
        public Object getProperty(String name) {
            if (name.equals("hudson") || name.equals("jenkins") || name.equals("Result")) {
                return new DottedName(name);
            }
            return super.getProperty(name);
        }
    }

    /** A dotted name read in a recorded block; {@code toString} is the name ({@code hudson.model.Result.SUCCESS}). */
    @PipelineSafe
    static final class DottedName extends GroovyObjectSupport {
        private final String name;

        DottedName(String name) {
            this.name = name;
        }

        @Override
        public Object getProperty(String property) {
            return new DottedName(name + "." + property);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Collects parameter definitions. */
    @PipelineSafe
    static final class ParametersDsl extends GroovyObjectSupport implements groovy.lang.GroovyInterceptable {
        final List<Map<String, Object>> params = new ArrayList<>();

        static List<Map<String, Object>> collect(Closure<?> c) {
            ParametersDsl d = new ParametersDsl();
            evalWith(c, d);
            return d.params;
        }

        @Override
        public Object invokeMethod(String name, Object args) {
            Object[] a = args instanceof Object[] arr ? arr : new Object[] {args};
            if (a.length != 1 || !(a[0] instanceof Map<?, ?> m)) {
                throw missing(name, this, a);
            }
            Map<String, Object> p = stringKeys(m);
            p.put("type", name);
            params.add(p);
            return p;
        }
    }

    /** Collects {@code tools { maven 'M3' }}. */
    @PipelineSafe
    static final class ToolsDsl extends GroovyObjectSupport implements groovy.lang.GroovyInterceptable {
        final Map<String, String> tools = new LinkedHashMap<>();

        static Map<String, String> collect(Closure<?> c) {
            ToolsDsl d = new ToolsDsl();
            evalWith(c, d);
            return d.tools;
        }

        @Override
        public Object invokeMethod(String name, Object args) {
            Object[] a = args instanceof Object[] arr ? arr : new Object[] {args};
            tools.put(name, a.length > 0 ? String.valueOf(a[0]) : "");
            return null;
        }
    }

    /** Collects {@code post { always { } failure { } }}. */
    @PipelineSafe
    static final class PostDsl extends GroovyObjectSupport implements groovy.lang.GroovyInterceptable {
        final Map<String, Closure<?>> blocks = new LinkedHashMap<>();

        static Map<String, Closure<?>> collect(Closure<?> c) {
            PostDsl d = new PostDsl();
            evalWith(c, d);
            return d.blocks;
        }

        @Override
        public Object invokeMethod(String name, Object args) {
            Object[] a = args instanceof Object[] arr ? arr : new Object[] {args};
            if (a.length != 1 || !(a[0] instanceof Closure<?> c)) {
                throw missing(name, this, a);
            }
            blocks.put(name, c);
            return null;
        }
    }
}
