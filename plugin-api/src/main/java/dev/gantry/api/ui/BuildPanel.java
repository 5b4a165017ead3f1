package dev.gantry.api.ui;

import dev.gantry.api.extension.GantryExtensionPoint;
import dev.gantry.api.report.BuildReport;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A panel a plugin adds to the build page, usually showing one of its {@link BuildReport}s.
 * The panel renders to an HTML fragment that the page embeds in a sandboxed frame (no script
 * access to the page or its session): a plugin cannot break the page or read another's data.
 * Contributed by a plugin as an {@code @Extension}.
 *
 * <p><b>Lifecycle and threading.</b> One instance per started plugin; {@link #render} runs on an
 * HTTP request thread, for many requests at once: thread-safe, fast, no blocking I/O.
 *
 * @since 0.1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface BuildPanel extends GantryExtensionPoint {

    /** The panel's id, unique within the plugin ({@code findings}). */
    String id();

    /** The panel's title on the page. */
    String title();

    /**
     * The panel's content for one build, or empty when the panel has nothing to show for it (the
     * build has no report of its kind).
     *
     * @param build the build being shown
     * @return a self-contained HTML fragment (inline styles; no external resources)
     */
    Optional<String> render(BuildView build);

    /**
     * What a panel may read of a build.
     *
     * @param job the job's full name
     * @param number the build number
     * @param result the result, or null while it runs
     * @param reports the build's reports
     */
    record BuildView(String job, int number, String result, List<BuildReport> reports) {
        public BuildView {
            reports = List.copyOf(reports);
        }

        /** The report of this kind and name, if the build has it. */
        public Optional<BuildReport> report(String kind, String name) {
            return reports.stream().filter(r -> r.kind().equals(kind) && r.name().equals(name)).findFirst();
        }
    }
}
