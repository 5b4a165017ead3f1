package dev.gantry.api.notify;

import dev.gantry.api.extension.GantryExtensionPoint;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Tells someone a build ended (chat, mail, a webhook, a commit status), for notification rules
 * configured on a job or folder without pipeline code ("on failure, fixed, regression or
 * always"). Contributed by a plugin as an {@code @Extension}; rules name it by {@link #id()}.
 * Steps such as {@code slackSend} are separate {@link dev.gantry.api.step.Step}s and may share
 * code with the notifier.
 *
 * <p><b>Lifecycle and threading.</b> One instance per started plugin. {@link #notify} is called
 * on a notification thread of the controller after the build record is complete, never on the
 * build's thread, possibly for several builds at once: thread-safe. It may block on the network;
 * the engine retries a call that throws {@link java.io.IOException} with backoff, and never lets
 * a notification change a build's result.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface Notifier extends GantryExtensionPoint {

    /** The name rules use ({@code slack}, {@code mail}, {@code webhook}); unique among started plugins. */
    String id();

    /**
     * Sends one notification.
     *
     * @param event the build that ended
     * @param settings the rule's settings for this notifier (channel, recipients, URL,
     *     credentialsId, ...), as the notifier documents them; immutable
     * @param secrets resolves credential ids to secret values; never log what it returns
     * @throws java.io.IOException when the endpoint cannot be reached or refused the message;
     *     the engine retries
     */
    void notify(BuildEvent event, Map<String, Object> settings, SecretResolver secrets) throws java.io.IOException, InterruptedException;

    /** Looks up the secret of a credential by id for a notifier. */
    @FunctionalInterface
    interface SecretResolver {
        /**
         * The credential's secret (a token, a password, a webhook URL).
         *
         * @throws java.util.NoSuchElementException naming the id when there is no such credential
         */
        String secret(String credentialsId);
    }
}
