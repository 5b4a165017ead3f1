package dev.gantry.engine.plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.pf4j.PluginDependency;

/**
 * Decides, before anything is loaded, which plugins of a set can load and in which order, and
 * explains every one that cannot: a bad manifest, two jars with one id, an engine too old, a
 * missing, disabled, broken or wrong-version dependency, a dependency cycle. A plugin that cannot
 * load never stops the others; a plugin that needs it (not optionally) cannot load either.
 * Pure: reads nothing but its arguments.
 */
final class PluginSetValidator {

    /** What the validator decided for one jar. */
    record Verdict(PluginState state, String error) {
    }

    /** The verdict for every jar, and the loadable plugins with their dependencies first. */
    record Outcome(Map<PluginFile, Verdict> verdicts, List<PluginFile> loadOrder) {
    }

    private PluginSetValidator() {
    }

    /**
     * @param files every jar found, bundled ones first; a jar in the home folder replaces a bundled
     *     one of the same id
     * @param disabled ids an operator disabled
     * @param failed errors of plugins that failed to start, by id; they count as unloadable
     */
    static Outcome validate(List<PluginFile> files, String engineVersion, Set<String> disabled, Map<String, String> failed) {
        Map<PluginFile, Verdict> verdicts = new LinkedHashMap<>();
        Map<String, List<PluginFile>> byId = new TreeMap<>();
        for (PluginFile f : files) {
            if (f.problem() != null) {
                verdicts.put(f, new Verdict(PluginState.INVALID, f.problem()));
            } else {
                byId.computeIfAbsent(f.id, k -> new ArrayList<>()).add(f);
            }
        }
        Map<String, PluginFile> candidates = new TreeMap<>();
        for (Map.Entry<String, List<PluginFile>> e : byId.entrySet()) {
            List<PluginFile> home = e.getValue().stream().filter(f -> !f.bundled).toList();
            List<PluginFile> bundled = e.getValue().stream().filter(f -> f.bundled).toList();
            List<PluginFile> winners = home.isEmpty() ? bundled : home;
            for (PluginFile shadowed : home.isEmpty() ? List.<PluginFile>of() : bundled) {
                verdicts.put(shadowed, new Verdict(PluginState.DISABLED, "replaced by " + home.get(0).path.getFileName()
                        + " (version " + home.get(0).version + ") in the home's plugins folder"));
            }
            if (winners.size() > 1) {
                String names = String.join(", ", winners.stream().map(f -> f.path.getFileName().toString()).toList());
                for (PluginFile f : winners) {
                    verdicts.put(f, new Verdict(PluginState.INVALID, "plugin id '" + e.getKey() + "' is in " + winners.size()
                            + " jars of " + f.path.getParent() + " (" + names + "): remove all but one"));
                }
            } else {
                candidates.put(e.getKey(), winners.get(0));
            }
        }
        Map<String, String> problems = new TreeMap<>();
        for (PluginFile f : candidates.values()) {
            if (disabled.contains(f.id)) {
                verdicts.put(f, new Verdict(PluginState.DISABLED, null));
            } else if (failed.containsKey(f.id)) {
                problems.put(f.id, failed.get(f.id));
            } else if (f.requires != null && !Versions.satisfies(engineVersion, f.requires)) {
                problems.put(f.id, "needs Gantry " + Versions.requirement(f.requires) + " (Plugin-Requires), but this is Gantry "
                        + engineVersion + ": upgrade Gantry, or install a version of '" + f.id + "' made for " + engineVersion);
            }
        }
        // Missing and wrong-version dependencies, then what depends on a plugin that cannot load, to a fixpoint.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (PluginFile f : candidates.values()) {
                if (problems.containsKey(f.id) || disabled.contains(f.id)) {
                    continue;
                }
                String p = dependencyProblem(f, candidates, disabled, problems);
                if (p != null) {
                    problems.put(f.id, p);
                    changed = true;
                }
            }
        }
        List<PluginFile> order = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        for (PluginFile f : candidates.values()) {
            if (!problems.containsKey(f.id) && !disabled.contains(f.id)) {
                place(f, candidates, problems, disabled, placed, new LinkedHashSet<>(), order);
            }
        }
        for (PluginFile f : candidates.values()) {
            String p = problems.get(f.id);
            if (p != null) {
                verdicts.put(f, new Verdict(failed.containsKey(f.id) ? PluginState.FAILED : PluginState.INVALID, p));
            } else if (!disabled.contains(f.id)) {
                verdicts.put(f, new Verdict(PluginState.ENABLED, null));
            }
        }
        return new Outcome(verdicts, List.copyOf(order));
    }

    private static String dependencyProblem(PluginFile f, Map<String, PluginFile> candidates, Set<String> disabled, Map<String, String> problems) {
        for (PluginDependency d : f.dependencies) {
            String depId = d.getPluginId();
            String range = d.getPluginVersionSupport();
            String wanted = range == null || range.equals("*") ? "" : " " + Versions.requirement(range);
            PluginFile dep = candidates.get(depId);
            if (dep == null) {
                if (d.isOptional()) {
                    continue;
                }
                return "needs plugin '" + depId + "'" + wanted + ", which is not installed: install it (gantry plugin install "
                        + depId + ".jar) or remove '" + f.id + "'";
            }
            if (!Versions.satisfies(dep.version, range)) {
                return "needs plugin '" + depId + "'" + wanted + ", but '" + depId + "' " + dep.version + " is installed: install a version of '"
                        + depId + "' that matches, or a version of '" + f.id + "' made for '" + depId + "' " + dep.version;
            }
            if (d.isOptional()) {
                continue;
            }
            if (disabled.contains(depId)) {
                return "needs plugin '" + depId + "', which is disabled: enable it (gantry plugin enable " + depId + ") or disable '" + f.id + "'";
            }
            if (problems.containsKey(depId)) {
                return "needs plugin '" + depId + "', which cannot be loaded: " + problems.get(depId);
            }
        }
        return null;
    }

    /** Depth-first placement, dependencies first; a cycle marks every plugin on it. */
    private static boolean place(PluginFile f, Map<String, PluginFile> candidates, Map<String, String> problems, Set<String> disabled,
                                 Set<String> placed, Set<String> path, List<PluginFile> order) {
        if (placed.contains(f.id)) {
            return true;
        }
        if (!path.add(f.id)) {
            List<String> cycle = new ArrayList<>(path);
            cycle = cycle.subList(cycle.indexOf(f.id), cycle.size());
            String text = String.join(" -> ", cycle) + " -> " + f.id;
            for (String id : cycle) {
                problems.put(id, "is part of a dependency cycle (" + text + "): remove one of these plugins");
            }
            return false;
        }
        for (PluginDependency d : f.dependencies) {
            PluginFile dep = candidates.get(d.getPluginId());
            if (dep == null || disabled.contains(dep.id) || problems.containsKey(dep.id)) {
                continue;
            }
            if (!place(dep, candidates, problems, disabled, placed, path, order)) {
                problems.putIfAbsent(f.id, "needs plugin '" + dep.id + "', which cannot be loaded: " + problems.get(dep.id));
                path.remove(f.id);
                return false;
            }
        }
        path.remove(f.id);
        if (problems.containsKey(f.id)) {
            return false;
        }
        placed.add(f.id);
        order.add(f);
        return true;
    }
}
