package dev.gantry.engine.run;

/** The global variables every pipeline sees: {@code env}, {@code params}, {@code currentBuild}. */
final class Globals {
    private Globals() {
    }

    static Object lookup(FlowContext ctx, String name) {
        return switch (name) {
            case "env" -> new EnvGlobal(ctx.run);
            case "params" -> ctx.run.parameters();
            case "currentBuild" -> new CurrentBuild(ctx.run);
            default -> null;
        };
    }
}
