package dev.gantry.api.scm;

import dev.gantry.api.extension.GantryExtensionPoint;
import dev.gantry.api.step.StepContext;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A kind of source control (git, ...): how a build checks code out, what changed since the last
 * build, whether a source has new revisions, and which webhook payloads announce a push.
 * Contributed by a plugin as an {@code @Extension}; the engine picks the provider whose
 * {@link #type()} a job's {@link ScmSource} names. {@code checkout scm} and the provider's own
 * steps both go through {@link #checkout}.
 *
 * <p><b>Lifecycle and threading.</b> One instance per started plugin, shared by every build:
 * stateless or thread-safe. {@link #checkout} and {@link #changelog} run on the build's thread
 * (they may block; they must stop promptly when it is interrupted). {@link #poll} runs on the
 * controller's polling thread, {@link #parseWebhook} on an HTTP request thread: both must not
 * touch a workspace and should finish within seconds.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface ScmProvider extends GantryExtensionPoint {

    /** The type jobs name in their source ({@code git}); unique among the started plugins. */
    String type();

    /**
     * Checks {@code source} out into the step's workspace (its current directory), logging to
     * its console. Credentials are looked up through
     * {@code context.service(dev.gantry.api.credentials.CredentialLookup.class)}.
     *
     * @param previous the revision the job's last successful build checked out, or null
     * @return the revision checked out, with the variables it exports to the build
     * @throws IOException when the source cannot be reached or read; the message names it
     */
    ScmRevision checkout(StepContext context, ScmSource source, ScmRevision previous) throws IOException, InterruptedException;

    /**
     * The changes from {@code from} (exclusive) to {@code to} (inclusive), newest first.
     *
     * @param from the previous build's revision, or null for a first build (then: empty, or the
     *     head change alone, as the provider documents)
     */
    List<ChangeSetEntry> changelog(StepContext context, ScmSource source, ScmRevision from, ScmRevision to)
            throws IOException, InterruptedException;

    /**
     * Looks for a newer revision than {@code last} without a workspace ({@code pollSCM}).
     *
     * @param last the revision the newest build saw, or null when the job never ran
     * @return the newest revision when it differs from {@code last}, else empty
     */
    Optional<ScmRevision> poll(ScmSource source, ScmRevision last) throws IOException, InterruptedException;

    /**
     * Recognises and verifies a webhook request meant for this provider.
     *
     * @param secret the shared secret or token the matching jobs configured for webhooks, or null
     *     when none is configured (then the provider must refuse payloads that claim a signature
     *     it cannot check)
     * @return the push the request announces; empty when the request is not for this provider
     *     or not a push (a ping, an issue comment)
     * @throws SecurityException when the request is for this provider but its signature or
     *     token does not verify; the controller answers 401 without triggering anything
     */
    Optional<PushEvent> parseWebhook(WebhookRequest request, String secret);
}
