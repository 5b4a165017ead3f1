package dev.gantry.engine.agent;

import dev.gantry.api.task.TaskHandlerExtension;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Where a node finds the plugin task handlers ({@link TaskHandlerExtension}) of {@code handler}
 * tasks: on the built-in agent the controller's started plugins, on a remote agent the plugins
 * it fetched from the controller.
 */
interface PluginHandlers {
    /** None: a node without plugins. */
    PluginHandlers NONE = new PluginHandlers() {
        @Override
        public TaskHandlerExtension find(String taskType, Map<String, Object> plugin) {
            return null;
        }

        @Override
        public Set<String> taskTypes() {
            return Set.of();
        }
    };

    /**
     * The handler of {@code taskType}, loading the plugin the task names first when it is not loaded.
     *
     * @param plugin the plugin the controller says provides it ({@code id}, {@code version},
     *     {@code sha256}), or null when the controller named none
     * @return the handler, or null when no loaded plugin has one
     * @throws IOException when the plugin could not be fetched, verified or loaded (the message says why)
     */
    TaskHandlerExtension find(String taskType, Map<String, Object> plugin) throws IOException;

    /** The task types available now, for messages. */
    Set<String> taskTypes();
}
