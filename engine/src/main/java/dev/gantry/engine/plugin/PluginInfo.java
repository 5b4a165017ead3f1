package dev.gantry.engine.plugin;

import java.util.List;

/**
 * One installed plugin as operators see it: identity, where its jar is, its state with the error
 * that explains it, and what it provides.
 *
 * @param id the plugin id, or the jar's file name when its manifest names none
 * @param version the plugin version, or null when unreadable
 * @param description the {@code Plugin-Description}, or null
 * @param license the {@code Plugin-License}, or null
 * @param requires the engine versions it works with ({@code Plugin-Requires}), or null for any
 * @param dependencies its {@code Plugin-Dependencies} as written ({@code a@>=1.0.0}, {@code b?})
 * @param file the jar's absolute path
 * @param bundled whether the jar came with the distribution (it cannot be uninstalled, only disabled)
 * @param state where it stands
 * @param error why it is not started, for the operator: what to install or remove; null when none
 * @param warnings things that work but need attention (a step left out because its name is taken)
 * @param steps the names of the steps it provides (when started)
 * @param extensions the extension point names it contributes to besides steps ({@code Notifier})
 */
public record PluginInfo(String id, String version, String description, String license, String requires,
                         List<String> dependencies, String file, boolean bundled, PluginState state, String error,
                         List<String> warnings, List<String> steps, List<String> extensions) {
    public PluginInfo {
        dependencies = List.copyOf(dependencies);
        warnings = List.copyOf(warnings);
        steps = List.copyOf(steps);
        extensions = List.copyOf(extensions);
    }
}
