package dev.gantry.engine.scm;

import dev.gantry.api.credentials.CredentialLookup;
import dev.gantry.api.scm.PushEvent;
import dev.gantry.api.scm.ScmCheckouts;
import dev.gantry.api.scm.ScmProvider;
import dev.gantry.api.scm.ScmRevision;
import dev.gantry.api.scm.ScmSource;
import dev.gantry.api.scm.WebhookRequest;
import dev.gantry.engine.plugin.PluginSystem;
import dev.gantry.engine.run.BuildScm;
import dev.gantry.engine.server.ControllerService;
import dev.gantry.engine.store.BuildCause;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildStatus;
import dev.gantry.engine.store.JobRecord;
import dev.gantry.engine.store.Store;
import dev.gantry.engine.store.TriggerRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * Source control on the controller, through the started plugins' {@link ScmProvider}s: fetches
 * the pipeline of jobs whose {@code Jenkinsfile} lives in a repository, gives every build its
 * {@link ScmCheckouts} (kept in the build's {@code scm.json}), polls the jobs with a
 * {@code pollSCM} trigger, turns verified push webhooks into builds, and runs multibranch
 * projects ({@link Multibranch}). Thread-safe.
 */
public final class ControllerScm implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ControllerScm.class.getName());
    /** Jenkins' cause of a build started by polling or a push notification. */
    static final String SCM_CAUSE = "hudson.triggers.SCMTrigger$SCMTriggerCause";
    /** How long a delivery id is remembered: forges retry within hours, and replays from their pages come within days. */
    static final java.time.Duration DELIVERY_RETENTION = java.time.Duration.ofDays(7);
    private final ControllerService controller;
    private final Store store;
    private final PluginSystem plugins;
    private final Clock clock;
    private final Multibranch multibranch;
    /** When old delivery ids were last pruned (epoch millis): at most once an hour, on a delivery. */
    private final java.util.concurrent.atomic.AtomicLong pruned = new java.util.concurrent.atomic.AtomicLong();
    private volatile CredentialLookup credentials;
    private dev.gantry.engine.queue.CronScheduler poller;

    private ControllerScm(ControllerService controller, Store store, PluginSystem plugins, Clock clock) {
        this.controller = controller;
        this.store = store;
        this.plugins = plugins;
        this.clock = clock;
        this.multibranch = new Multibranch(this, controller, store.home().resolve("multibranch.json"));
    }

    /**
     * Hooks SCM into {@code controller}: pipeline fetching, each build's checkouts, polling (a
     * thread started here) and the API's webhook and multibranch endpoints.
     *
     * @return the service, to be closed before the controller
     */
    public static ControllerScm install(ControllerService controller, Store store, PluginSystem plugins, Clock clock) {
        ControllerScm scm = new ControllerScm(controller, store, plugins, clock);
        controller.scmFetcher(scm::fetchPipeline);
        controller.buildServices((build, run) -> run.service(ScmCheckouts.class, scm.buildScm(build)));
        controller.scm(scm);
        // pollSCM schedules are cron schedules: the timer's scheduler runs them, without its claims
        // in the store (a poll repeated after a restart within the minute is harmless).
        scm.poller = new dev.gantry.engine.queue.CronScheduler(store.triggers(), "pollSCM",
                job -> Thread.ofVirtual().name("scm-poll-" + job).start(() -> scm.poll(job, "Started by an SCM change")),
                clock, (job, minute) -> true);
        scm.poller.start();
        return scm;
    }

    /** Sets how polling, pipeline fetching and multibranch scans resolve {@code credentialsId}s (the credential store). */
    public void credentials(CredentialLookup lookup) {
        this.credentials = lookup;
    }

    /** The multibranch projects. */
    public Multibranch multibranch() {
        return multibranch;
    }

    // ------------------------------------------------------------------ providers and sources

    /**
     * The started provider of {@code type}.
     *
     * @throws NoSuchElementException saying which plugin to install when none is started
     */
    ScmProvider provider(String type) {
        for (ScmProvider p : plugins.extensions(ScmProvider.class)) {
            if (p.type().equals(type)) {
                return p;
            }
        }
        throw new NoSuchElementException("no SCM plugin for '" + type + "' is started: install or enable the " + type + " plugin (gantry plugin list)");
    }

    CredentialLookup credentialLookup() {
        return credentials;
    }

    /** A job's source as plugins see it: type git, {@code url}, {@code branch}, {@code credentialsId}, {@code scriptPath}. */
    static ScmSource apiSource(dev.gantry.engine.jobs.ScmSource s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", s.url());
        if (s.branch() != null) {
            m.put("branch", s.branch());
        }
        if (s.credentialsId() != null) {
            m.put("credentialsId", s.credentialsId());
        }
        m.put("scriptPath", s.path());
        return new ScmSource("git", m);
    }

    private String fetchPipeline(String job, dev.gantry.engine.jobs.ScmSource scm) throws IOException {
        ScmProvider.FileAtRevision f;
        try {
            f = provider("git").readFile(apiSource(scm), scm.path(), credentials);
        } catch (NoSuchElementException | UnsupportedOperationException e) {
            throw new IOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching the pipeline", e);
        }
        // As Jenkins: the triggers of a pipeline from SCM are known once a build has read it.
        try {
            // The definition's own triggers replace the fetched pipeline's of the same kind.
            dev.gantry.engine.jobs.JobSpec spec = store.jobs().find(job).map(dev.gantry.engine.store.JobRecord::spec)
                    .orElse(dev.gantry.engine.jobs.JobSpec.EMPTY);
            List<TriggerRow> rows = dev.gantry.engine.queue.TriggerService.rows(spec, f.text());
            if (!rows.equals(store.triggers().of(job).stream().map(r -> new TriggerRow(null, r.kind(), r.spec(), r.upstreamProjects(), r.threshold())).toList())) {
                store.triggers().replace(job, rows);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot store the triggers of " + job + " from its pipeline: " + e.getMessage());
        }
        return f.text();
    }

    // ------------------------------------------------------------------ builds

    private Path buildDir(String job, int number) {
        try {
            return store.artifactsDir(job, number).getParent();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private BuildScm buildScm(BuildRecord build) {
        String job = build.job();
        JobRecord record = controller.job(job).orElse(null);
        dev.gantry.engine.jobs.ScmSource js = record == null ? null : record.spec().scm();
        Map<String, String> env = new LinkedHashMap<>();
        if (js != null && multibranch.isChild(job)) {
            String branch = js.branch();
            if (branch != null && branch.startsWith("refs/tags/")) {
                env.put("TAG_NAME", branch.substring("refs/tags/".length()));
                env.put("BRANCH_NAME", branch.substring("refs/tags/".length()));
            } else if (branch != null) {
                env.put("BRANCH_NAME", branch);
            }
        }
        return new BuildScm(js == null ? null : apiSource(js), () -> history(job, build.number()), checkouts -> {
            try {
                ScmRecords.write(buildDir(job, build.number()), checkouts);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot store the checkouts of " + job + " #" + build.number() + ": " + e.getMessage());
            }
        }, env);
    }

    /** The checkouts of the job's completed builds before {@code number}, newest first. */
    private List<BuildScm.Checkout> history(String job, int number) {
        List<BuildScm.Checkout> out = new ArrayList<>();
        for (BuildRecord b : store.builds().list(job, 0, 100)) {
            if (b.number() < number && b.status() == BuildStatus.COMPLETED) {
                out.addAll(ScmRecords.read(buildDir(job, b.number()), b.result()));
            }
        }
        return out;
    }

    /** The {@code changeSets} of a build for the API: each checkout with its commits; empty when it checked nothing out. */
    public List<Map<String, Object>> changeSets(String job, int number) {
        return ScmRecords.changeSets(buildDir(job, number));
    }

    // ------------------------------------------------------------------ polling

    private record Polled(ScmSource source, ScmRevision last) {
    }

    /** What a job's polling looks at: its own source and what its newest build checked out, each with the revision seen last. */
    private List<Polled> pollTargets(JobRecord job) {
        List<BuildScm.Checkout> last = List.of();
        for (BuildRecord b : store.builds().list(job.name(), 0, 20)) {
            if (b.status() == BuildStatus.COMPLETED) {
                last = ScmRecords.read(buildDir(job.name(), b.number()), b.result());
                if (!last.isEmpty()) {
                    break;
                }
            }
        }
        List<Polled> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (BuildScm.Checkout c : last) {
            if (seen.add(ScmUrls.key(String.valueOf(c.source().setting("url"))) + "#" + ScmUrls.branch(c.source().setting("branch")))) {
                out.add(new Polled(c.source(), c.revision()));
            }
        }
        dev.gantry.engine.jobs.ScmSource js = job.spec().scm();
        if (js != null && seen.add(ScmUrls.key(js.url()) + "#" + ScmUrls.branch(js.branch()))) {
            out.add(new Polled(apiSource(js), null));
        }
        return out;
    }

    /**
     * Polls a job's sources and queues a build when one moved (or the job never ran).
     *
     * @return whether a build was queued
     */
    public boolean poll(String job, String why) {
        JobRecord record = controller.job(job).orElse(null);
        if (record == null) {
            return false;
        }
        for (Polled p : pollTargets(record)) {
            try {
                Optional<ScmRevision> moved = provider(p.source().type()).poll(p.source(), p.last(), credentials);
                if (moved.isPresent()) {
                    controller.trigger(job, Map.of(), List.of(new BuildCause(SCM_CAUSE, why, null, null, null, null)));
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "polling " + job + " failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * Jenkins' {@code notifyCommit}: polls every job whose source or newest build's checkout is
     * the repository at {@code url}, and builds those that moved.
     *
     * @return the jobs that were queued
     */
    public List<String> notifyCommit(String url) {
        List<String> queued = new ArrayList<>();
        for (JobRecord j : controller.jobs()) {
            boolean uses = pollTargets(j).stream().anyMatch(p -> ScmUrls.same(p.source().setting("url"), url));
            if (uses && poll(j.name(), "Started by an SCM change (notifyCommit)")) {
                queued.add(j.name());
            }
        }
        multibranch.projectsFor(List.of(url)).forEach(p -> multibranch.scanQuietly(p));
        return queued;
    }

    // ------------------------------------------------------------------ webhooks

    /** What a webhook call did. */
    public record WebhookOutcome(String delivery, boolean duplicate, PushEvent push, List<String> triggered, List<String> scanned) {
    }

    /**
     * Verifies a forge's webhook with provider {@code type} and queues the builds of the jobs whose
     * repository and branch it names (a job without a branch is polled); multibranch projects of
     * the repository build the pushed branch's job, or scan when the branch is new or deleted. A
     * delivery id (GitHub's, Gitea's or GitLab's header) seen before does nothing.
     *
     * @throws NoSuchElementException when no started plugin provides {@code type}
     * @throws SecurityException when the request's signature or token does not verify
     * @throws IllegalArgumentException when the body is not what the forge sends
     */
    public WebhookOutcome webhook(String type, Map<String, List<String>> headers, byte[] body) {
        ScmProvider provider = provider(type);
        WebhookRequest request = new WebhookRequest(headers, body);
        Optional<PushEvent> push = provider.parseWebhook(request, secret());
        String delivery = null;
        for (String h : List.of("X-GitHub-Delivery", "X-Gitea-Delivery", "X-Gogs-Delivery", "X-Gitlab-Event-UUID", "X-Gitlab-Webhook-UUID")) {
            if (request.header(h) != null) {
                delivery = request.header(h);
                break;
            }
        }
        if (delivery != null && !firstDelivery(delivery)) {
            return new WebhookOutcome(delivery, true, push.orElse(null), List.of(), List.of());
        }
        if (push.isEmpty()) {
            return new WebhookOutcome(delivery, false, null, List.of(), List.of());
        }
        PushEvent e = push.get();
        String cause = "Started by " + forge(request) + " push" + (e.branch() != null ? " to " + e.branch() : " of tag " + e.tag());
        List<String> triggered = new ArrayList<>();
        for (JobRecord j : controller.jobs()) {
            if (multibranch.isChild(j.name())) {
                continue;
            }
            for (Polled p : pollTargets(j)) {
                if (e.repositoryUrl().stream().noneMatch(u -> ScmUrls.same(u, p.source().setting("url")))) {
                    continue;
                }
                String branch = ScmUrls.branch(p.source().setting("branch"));
                boolean match;
                if (branch == null) {
                    match = e.revision() != null && poll(j.name(), cause);
                    if (match) {
                        triggered.add(j.name());
                    }
                    break;
                }
                match = e.revision() != null && (branch.equals(e.branch()) || branch.equals("refs/tags/" + e.tag()) || branch.equals(e.tag()));
                if (match) {
                    controller.trigger(j.name(), Map.of(), List.of(new BuildCause(SCM_CAUSE, cause, null, null, null, null)));
                    triggered.add(j.name());
                    break;
                }
            }
        }
        List<String> scanned = new ArrayList<>();
        for (String project : multibranch.projectsFor(e.repositoryUrl())) {
            String child = multibranch.childFor(project, e);
            if (child != null && e.revision() != null && controller.job(child).isPresent()) {
                controller.trigger(child, Map.of(), List.of(new BuildCause(SCM_CAUSE, cause, null, null, null, null)));
                multibranch.seen(project, child, e.revision());
                triggered.add(child);
            } else {
                multibranch.scanQuietly(project);
                scanned.add(project);
            }
        }
        return new WebhookOutcome(delivery, false, e, triggered, scanned);
    }

    /** Whether {@code delivery} is new, recording it in the store (kept {@link #DELIVERY_RETENTION}, so replays after a restart are seen). */
    private boolean firstDelivery(String delivery) {
        java.time.Instant now = clock.instant();
        long last = pruned.get();
        if (now.toEpochMilli() - last >= 3_600_000L && pruned.compareAndSet(last, now.toEpochMilli())) {
            store.webhookDeliveries().prune(now.minus(DELIVERY_RETENTION));
        }
        return store.webhookDeliveries().firstSeen(delivery, now);
    }

    private static String forge(WebhookRequest r) {
        if (r.header("X-Gitea-Event") != null) {
            return "Gitea";
        }
        if (r.header("X-GitHub-Event") != null) {
            return "GitHub";
        }
        return r.header("X-Gitlab-Event") != null ? "GitLab" : "webhook";
    }

    /** The webhook secret: the first line of {@code <home>/webhook-secret}, read at each call; null when there is none. */
    private String secret() {
        Path f = store.home().resolve("webhook-secret");
        try {
            if (!Files.isRegularFile(f)) {
                return null;
            }
            String s = Files.readString(f, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            return s.isEmpty() ? null : s;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the webhook secret " + f + ": " + e.getMessage(), e);
        }
    }

    /** Stops polling; idempotent. */
    @Override
    public void close() {
        poller.close();
    }
}
