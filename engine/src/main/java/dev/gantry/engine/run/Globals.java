package dev.gantry.engine.run;

/** The global variables every pipeline sees: {@code env}, {@code params}, {@code currentBuild}, and {@code scm} in jobs whose pipeline comes from a repository. */
final class Globals {
    private Globals() {
    }

    static Object lookup(FlowContext ctx, String name) {
        return switch (name) {
            case "env" -> new EnvGlobal(ctx.run);
            case "params" -> ctx.run.parameters();
            case "currentBuild" -> new CurrentBuild(ctx.run);
            case "scm" -> ctx.run.service(dev.gantry.api.scm.ScmCheckouts.class)
                    .map(s -> s instanceof BuildScm b ? b.scmVariable() : null).orElse(null);
            default -> null;
        };
    }
}
