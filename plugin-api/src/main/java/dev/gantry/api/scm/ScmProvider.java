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

    /**
     * Like {@link #poll(ScmSource, ScmRevision)}, with the controller's credentials for the
     * source's {@code credentialsId}. The default ignores them.
     *
     * @param credentials resolves credential ids, or null when the controller has no credential store
     */
    default Optional<ScmRevision> poll(ScmSource source, ScmRevision last, dev.gantry.api.credentials.CredentialLookup credentials)
            throws IOException, InterruptedException {
        return poll(source, last);
    }

    /**
     * Reads one file of the source's branch (or tag) head without a workspace: how the controller
     * gets the pipeline of a job whose {@code Jenkinsfile} lives in the repository. Runs on the
     * thread that starts the build or scans a multibranch project.
     *
     * @param path the file, relative to the repository root, with {@code /}
     * @param credentials resolves credential ids, or null when the controller has no credential store
     * @return the file's text (UTF-8) and the revision it was read at
     * @throws java.nio.file.NoSuchFileException naming the path and the branch when the head has no such file
     * @throws IOException when the source cannot be reached; the message names it
     * @throws UnsupportedOperationException when the provider cannot read files (the default)
     */
    default FileAtRevision readFile(ScmSource source, String path, dev.gantry.api.credentials.CredentialLookup credentials)
            throws IOException, InterruptedException {
        throw new UnsupportedOperationException("the " + type() + " SCM provider cannot read files without a workspace");
    }

    /**
     * The branches and tags of a source whose heads hold {@code path}: what a multibranch
     * project makes jobs of. Runs on a scanning thread, without a workspace.
     *
     * @param path the pipeline file that makes a head buildable ({@code Jenkinsfile})
     * @param credentials resolves credential ids, or null
     * @return one revision per head, with {@link ScmRevision#branch()} or {@link ScmRevision#tag()} set
     * @throws UnsupportedOperationException when the provider cannot list heads (the default)
     */
    default List<ScmRevision> heads(ScmSource source, String path, dev.gantry.api.credentials.CredentialLookup credentials)
            throws IOException, InterruptedException {
        throw new UnsupportedOperationException("the " + type() + " SCM provider cannot list branches and tags");
    }

    /**
     * A file's text and the revision it was read at.
     *
     * @param text the content, decoded as UTF-8
     * @param revision the revision of the head it was read from
     */
    record FileAtRevision(String text, ScmRevision revision) {
    }
}
