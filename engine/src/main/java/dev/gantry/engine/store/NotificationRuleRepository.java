package dev.gantry.engine.store;

import java.util.List;

/**
 * The notification rules of jobs and folders; they are deleted with their job or folder.
 * Thread-safe.
 */
public interface NotificationRuleRepository {

    /**
     * The rules of a job or folder, in order; empty when it has none.
     *
     * @throws java.util.NoSuchElementException when no job or folder has that name
     */
    List<NotificationRule> of(String name);

    /**
     * Replaces the rules of a job or folder; an empty list removes them.
     *
     * @throws java.util.NoSuchElementException when no job or folder has that name
     * @throws IllegalArgumentException when they are too large to store
     */
    void replace(String name, List<NotificationRule> rules);

    /**
     * The rules that apply to a build of {@code job}: the job's own first, then those of each
     * folder that holds it, from the innermost outwards.
     */
    List<NotificationRule> effective(String job);
}
