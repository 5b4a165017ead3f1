package dev.gantry.engine.web.ui;

import dev.gantry.api.report.BuildReport;
import dev.gantry.api.ui.BuildPanel;
import dev.gantry.engine.plugin.PluginSystem;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Renders the started plugins' {@link BuildPanel}s for the build page. Each panel runs on a
 * virtual thread of its own, all at once, within {@link #LIMIT_MILLIS} together: a panel that
 * throws or takes longer is shown as an error naming it and its plugin, and the page is served
 * all the same. The HTML a panel returns is shown by the template in a sandboxed frame, never
 * inline in the page.
 */
final class BuildPanels {
    /** How long the page waits for all panels together. */
    static final long LIMIT_MILLIS = 2000;

    private BuildPanels() {
    }

    /** The panels with content for build {@code b} (in plugin load order), and those that failed; empty without plugins. */
    static List<Views.Panel> render(Controller controller, BuildRecord b) {
        Optional<PluginSystem> plugins = controller.plugins();
        if (plugins.isEmpty() || !plugins.get().started()) {
            return List.of();
        }
        List<BuildPanel> panels = plugins.get().extensions(BuildPanel.class);
        if (panels.isEmpty()) {
            return List.of();
        }
        List<BuildReport> reports;
        try {
            reports = controller.reports(b.job(), b.number());
        } catch (RuntimeException e) {
            return List.of(new Views.Panel("Reports", null, "the reports of this build cannot be read: " + e.getMessage()));
        }
        BuildPanel.BuildView view = new BuildPanel.BuildView(b.job(), b.number(),
                b.status() == BuildStatus.COMPLETED ? b.result() : null, reports);
        List<Views.Panel> out = new ArrayList<>();
        // Not closed with try-with-resources: close() waits for every thread, and a panel that
        // ignores its interrupt must not hold the page.
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<Views.Panel>> futures = new ArrayList<>();
            for (BuildPanel p : panels) {
                futures.add(threads.submit(() -> {
                    Optional<String> html = p.render(view);
                    return html == null || html.isEmpty() ? null : new Views.Panel(p.title(), html.get(), null);
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIMIT_MILLIS);
            for (int i = 0; i < panels.size(); i++) {
                BuildPanel p = panels.get(i);
                Future<Views.Panel> f = futures.get(i);
                try {
                    Views.Panel shown = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (shown != null) {
                        out.add(shown);
                    }
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    out.add(failed(plugins.get(), p, cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())));
                } catch (TimeoutException e) {
                    f.cancel(true);
                    out.add(failed(plugins.get(), p, "it did not render within " + LIMIT_MILLIS + " ms"));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    f.cancel(true);
                    out.add(failed(plugins.get(), p, "the page request was interrupted"));
                }
            }
        } finally {
            threads.shutdownNow();
        }
        return out;
    }

    private static Views.Panel failed(PluginSystem plugins, BuildPanel p, String message) {
        String id;
        try {
            id = p.id();
        } catch (RuntimeException e) {
            id = p.getClass().getName();
        }
        String plugin = plugins.pluginOf(p);
        return new Views.Panel("Panel " + id + " of plugin " + plugin, null, "panel " + id + " of plugin " + plugin + " failed: " + message);
    }
}
