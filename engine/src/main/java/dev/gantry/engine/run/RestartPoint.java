package dev.gantry.engine.run;

import dev.gantry.engine.pipeline.Suggestions;
import dev.gantry.engine.run.DeclarativeModel.Stage;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a restarted declarative build may begin: at a top-level stage only, as in Jenkins'
 * "Restart from Stage" (nested stages, parallel branches and matrix cells share state with their
 * siblings, so they cannot start on their own).
 */
final class RestartPoint {
    private RestartPoint() {
    }

    /** Why {@code name} is not a stage to restart at, or null when it is one. */
    static String problem(List<Stage> topLevel, String name) {
        List<String> names = new ArrayList<>();
        for (Stage s : topLevel) {
            if (s.name.equals(name)) {
                return null;
            }
            names.add(s.name);
        }
        String restartable = "; the stages a build can restart at are the top-level ones: " + String.join(", ", names);
        for (Stage s : topLevel) {
            String parent = enclosing(s, name);
            if (parent != null) {
                return "cannot restart at stage '" + name + "': it is nested in stage '" + parent
                        + "' (a nested stage or parallel branch)" + restartable;
            }
        }
        return "there is no stage '" + name + "' to restart at" + Suggestions.closest(name, names).map(c -> "; did you mean '" + c + "'?").orElse("")
                + restartable;
    }

    /** The name of the stage directly enclosing a stage named {@code name} below {@code s}, or null. */
    private static String enclosing(Stage s, String name) {
        List<Stage> children = new ArrayList<>();
        if (s.stages != null) {
            children.addAll(s.stages);
        }
        if (s.parallel != null) {
            children.addAll(s.parallel);
        }
        if (s.matrix != null && s.matrix.template != null && s.matrix.template.stages != null) {
            children.addAll(s.matrix.template.stages);
        }
        for (Stage c : children) {
            if (c.name.equals(name)) {
                return s.name;
            }
            String deeper = enclosing(c, name);
            if (deeper != null) {
                return deeper;
            }
        }
        return null;
    }
}
