package dev.gantry.engine.server;

import dev.gantry.api.Result;
import dev.gantry.api.notify.BuildEvent;
import dev.gantry.api.notify.Notifier;
import dev.gantry.engine.store.BuildDetails;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildRepository;
import dev.gantry.engine.store.BuildStatus;
import dev.gantry.engine.store.NotificationRule;
import dev.gantry.engine.store.NotificationRuleRepository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the notification rules of jobs and folders (the hook for the plugins' {@link Notifier}s):
 * when a build ends, the rules of its job and of the folders above it whose outcome matches
 * ({@code failure}, {@code fixed}, {@code regression}, {@code always}, ...) call their notifier on
 * a notification thread, never the build's, retrying an {@link IOException} with exponential
 * backoff. A notification never changes a build's result, and what goes to the controller's log
 * names the rule, never its settings. Thread-safe.
 */
public final class NotificationDispatcher implements BuildListener, AutoCloseable {
    /** Notifications sent at once; more wait for a slot. */
    static final int MAX_CONCURRENT = 8;
    private static final System.Logger LOG = System.getLogger(NotificationDispatcher.class.getName());
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /** Until the controller has a credentials store, rules can name no credential. */
    private static final Notifier.SecretResolver NO_CREDENTIALS = id -> {
        throw new NoSuchElementException("this controller has no credentials store yet, so credential '" + id
                + "' cannot be resolved; give the notifier a plain setting instead (a URL without a secret)");
    };

    private final NotificationRuleRepository rules;
    private final BuildRepository builds;
    private final Supplier<List<Notifier>> notifiers;
    private final int retries;
    private final long backoffMillis;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("notify-", 0).factory());
    private final Semaphore slots = new Semaphore(MAX_CONCURRENT);
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Notifier.SecretResolver secrets = NO_CREDENTIALS;
    private volatile String rootUrl;

    /**
     * @param notifiers the notifiers of the started plugins, asked anew for every build (plugins come and go)
     * @param retries how many times a notification that threw {@link IOException} is tried again (0 to 10)
     * @param backoffMillis the wait before the first retry; it doubles for each next one, up to a minute
     */
    public NotificationDispatcher(NotificationRuleRepository rules, BuildRepository builds, Supplier<List<Notifier>> notifiers,
                                  int retries, long backoffMillis) {
        if (retries < 0 || retries > 10 || backoffMillis < 0) {
            throw new IllegalArgumentException("notification retries must be 0 to 10 and the backoff not negative, not " + retries + " and " + backoffMillis);
        }
        this.rules = rules;
        this.builds = builds;
        this.notifiers = notifiers;
        this.retries = retries;
        this.backoffMillis = backoffMillis;
    }

    /**
     * A dispatcher whose retries come from {@code GANTRY_NOTIFY_RETRIES} (default 3) and
     * {@code GANTRY_NOTIFY_BACKOFF_MS} (default 2000), as system properties
     * {@code gantry.notify.retries} and {@code gantry.notify.backoffMillis} or in the environment.
     *
     * @throws IllegalArgumentException naming the setting when it is not a number in range
     */
    public static NotificationDispatcher configured(NotificationRuleRepository rules, BuildRepository builds, Supplier<List<Notifier>> notifiers) {
        return new NotificationDispatcher(rules, builds, notifiers,
                (int) setting("gantry.notify.retries", "GANTRY_NOTIFY_RETRIES", 3, 10),
                setting("gantry.notify.backoffMillis", "GANTRY_NOTIFY_BACKOFF_MS", 2000, 600_000));
    }

    private static long setting(String property, String variable, long dflt, long max) {
        String v = System.getProperty(property, System.getenv(variable));
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(variable + " (" + property + ") must be a whole number from 0 to " + max + ", not '" + v + "'");
    }

    /** Resolves the credentials rules name (the controller's credentials store, once there is one). */
    public void secrets(Notifier.SecretResolver resolver) {
        this.secrets = resolver == null ? NO_CREDENTIALS : resolver;
    }

    /** The controller's address ending in {@code /}, from which the events' build URLs are made; null when unknown. */
    public void rootUrl(String url) {
        this.rootUrl = url;
    }

    @Override
    public void completed(BuildRecord build) {
        if (build.result() == null) {
            return;
        }
        inFlight.incrementAndGet();
        try {
            threads.execute(() -> {
                try {
                    dispatch(build);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot run the notification rules of " + build.job() + " #" + build.number() + ": " + e.getMessage());
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.decrementAndGet();
        }
    }

    /** Whether notifications are still being sent (for tests and shutdown). */
    public boolean busy() {
        return inFlight.get() > 0;
    }

    private void dispatch(BuildRecord build) {
        List<NotificationRule> all = rules.effective(build.job());
        if (all.isEmpty()) {
            return;
        }
        Result result = Result.parse(build.result());
        BuildEvent event = new BuildEvent(build.job(), build.number(), result, previousResult(build), build.durationMillis(),
                BuildUrls.build(rootUrl, build.job(), build.number()));
        Map<String, String> variables = new LinkedHashMap<>(builds.details(build.job(), build.number()).map(BuildDetails::variables).orElse(Map.of()));
        variables.put("JOB_NAME", build.job());
        variables.put("BUILD_NUMBER", String.valueOf(build.number()));
        variables.put("BUILD_RESULT", result.name());
        if (event.url() != null) {
            variables.put("BUILD_URL", event.url());
        }
        for (int i = 0; i < all.size(); i++) {
            NotificationRule rule = all.get(i);
            if (matches(rule, event)) {
                send(rule, i + 1, event, variables);
            }
        }
    }

    private Result previousResult(BuildRecord build) {
        for (BuildRecord b : builds.list(build.job(), 0, 50)) {
            if (b.number() < build.number() && b.status() == BuildStatus.COMPLETED && b.result() != null) {
                return Result.parse(b.result());
            }
        }
        return null;
    }

    /** Whether one of the rule's outcomes is the event's. */
    static boolean matches(NotificationRule rule, BuildEvent e) {
        for (String w : rule.when()) {
            boolean hit = switch (w) {
                case "always" -> true;
                case "fixed" -> e.isFixed();
                case "regression" -> e.isRegression();
                case "changed" -> e.previousResult() != null && e.previousResult() != e.result();
                default -> e.result().name().equalsIgnoreCase(w);
            };
            if (hit) {
                return true;
            }
        }
        return false;
    }

    private void send(NotificationRule rule, int position, BuildEvent event, Map<String, String> variables) {
        String what = "notification rule " + position + " (" + rule.notifier() + ") for " + event.job() + " #" + event.number();
        Notifier notifier = notifiers.get().stream().filter(n -> rule.notifier().equals(n.id())).findFirst().orElse(null);
        if (notifier == null) {
            LOG.log(System.Logger.Level.WARNING, what + ": no started plugin provides the notifier '" + rule.notifier()
                    + "'; install or enable the plugin that does (the notify plugin provides webhook, slack, mail and commitStatus)");
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) expand(rule.settings(), variables);
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    notifier.notify(event, java.util.Collections.unmodifiableMap(settings), secrets);
                    LOG.log(System.Logger.Level.INFO, what + ": sent" + (attempt == 0 ? "" : " after " + (attempt + 1) + " attempts"));
                    return;
                } catch (IOException e) {
                    if (attempt >= retries) {
                        LOG.log(System.Logger.Level.WARNING, what + ": not sent after " + (attempt + 1) + " attempts: " + e.getMessage());
                        return;
                    }
                    long wait = Math.min(60_000, backoffMillis << Math.min(attempt, 20));
                    LOG.log(System.Logger.Level.INFO, what + ": attempt " + (attempt + 1) + " failed (" + e.getMessage() + "); trying again in " + wait + " ms");
                    Thread.sleep(wait);
                } catch (RuntimeException | LinkageError e) {
                    LOG.log(System.Logger.Level.WARNING, what + ": the notifier failed, not retried: " + e);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            slots.release();
        }
    }

    /** The settings with {@code ${NAME}} in strings replaced by the build's variables; unknown names stay as they are. */
    static Object expand(Object value, Map<String, String> variables) {
        if (value instanceof String s) {
            Matcher m = VARIABLE.matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = variables.get(m.group(1));
                m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : v));
            }
            m.appendTail(sb);
            return sb.toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), expand(v, variables)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(expand(v, variables)));
            return out;
        }
        return value;
    }

    /** Stops taking builds and gives notifications being sent up to {@code graceMillis} to finish. */
    public void shutdown(long graceMillis) {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            threads.shutdownNow();
        }
    }

    @Override
    public void close() {
        shutdown(5000);
    }
}
