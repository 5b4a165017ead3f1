package dev.gantry.engine.store;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One notification rule of a job or folder: which notifier to call ({@code webhook}, {@code slack},
 * {@code mail}, {@code commitStatus}: the id of a plugin's {@code Notifier}), on which outcomes,
 * and the notifier's settings (strings may name the build's variables as {@code ${NAME}}).
 *
 * @param notifier the notifier's id
 * @param when the outcomes that trigger it, each one of {@link #CONDITIONS}; never empty
 * @param settings the notifier's settings, JSON values; never null
 */
public record NotificationRule(String notifier, List<String> when, Map<String, Object> settings) {
    /**
     * The outcomes: {@code always}; the build's result ({@code success}, {@code unstable},
     * {@code failure}, {@code aborted}, {@code not_built}); {@code fixed} (successful after a failed or
     * unstable build), {@code regression} (failed or unstable after a successful one),
     * {@code changed} (another result than the previous build's).
     */
    public static final Set<String> CONDITIONS = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(List.of(
            "always", "success", "unstable", "failure", "aborted", "not_built", "fixed", "regression", "changed")));

    public NotificationRule {
        Objects.requireNonNull(notifier, "notifier");
        when = when == null ? List.of() : when.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    }

    /**
     * What is wrong with this rule, for a user, or null when it is valid.
     *
     * @param position the rule's index, for the message
     */
    public String problem(int position) {
        if (notifier.isBlank()) {
            return "rule " + position + " needs notifier: (webhook, slack, mail, commitStatus, or another installed notifier's id)";
        }
        if (when.isEmpty()) {
            return "rule " + position + " (" + notifier + ") needs when: [...], one or more of " + String.join(", ", CONDITIONS);
        }
        for (String w : when) {
            if (!CONDITIONS.contains(w)) {
                return "rule " + position + " (" + notifier + "): '" + w + "' is not an outcome; use " + String.join(", ", CONDITIONS);
            }
        }
        return null;
    }
}
