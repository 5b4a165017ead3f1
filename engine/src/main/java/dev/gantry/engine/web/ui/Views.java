package dev.gantry.engine.web.ui;

import java.util.List;

/**
 * What each page shows, computed before rendering: the templates only lay these out, so that
 * they hold no logic and every value they print goes through jte's escaping. Public only
 * because the compiled templates live in another package.
 */
public final class Views {
    private Views() {
    }

    /**
     * Who is signed in, for the page header and the forms: {@code csrf} goes into every form as
     * the hidden {@code _csrf} field (empty when the request was not made with a session cookie,
     * which needs none); the flags say which menu entries lead somewhere the user may go
     * ({@code system}: administer, which the users, script approvals and audit pages need too).
     */
    public record Me(String name, String csrf, boolean session, boolean newJob, boolean agents, boolean plugins, boolean system,
                     boolean credentials) {
    }

    public record Crumb(String label, String url) {
    }

    public record KeyValue(String key, String value) {
    }

    public record FolderRow(String name, String label, String url, String description) {
    }

    public record JobRow(String name, String label, String url, String result, String cls, String lastDuration,
                         String lastLabel, String lastUrl, String health, String healthTitle) {
    }

    public record RunningRow(String job, String jobUrl, int number, String url, String running, String stage) {
    }

    public record QueueRow(String job, String jobUrl, int number, String url, String why, String waiting) {
    }

    public record AgentRow(String name, boolean online, String labels, int executors, int busy, String os, List<String> tasks) {
    }

    public record Dashboard(String title, List<Crumb> crumbs, String description, List<FolderRow> folders, List<JobRow> jobs,
                            List<RunningRow> running, List<QueueRow> queue, List<AgentRow> agents, boolean agentsAvailable,
                            String newJobUrl) {
    }

    public record BuildRow(int number, String url, String status, String cls, String duration, String started, String cause, String tests) {
    }

    public record Bar(int x, int y, int w, int h, String cls, String title, String url) {
    }

    public record Chart(int width, int height, List<Bar> bars, String testPoints, String maxLabel, boolean hasTests) {
    }

    /** One field of a parameters form (build parameters or an input's). */
    public record Param(String type, String name, String id, String value, boolean checked, String description, List<String> choices) {
    }

    public record JobPage(String name, List<Crumb> crumbs, String url, String description, String scm, List<BuildRow> builds,
                          String newerUrl, String olderUrl, Chart chart, List<Param> params, String buildUrl, String configUrl,
                          int page, boolean configure) {
    }

    public record ScriptLine(int number, String text, List<String> problems) {
    }

    /** A choice of a select: its value and what the user reads. */
    public record Choice(String value, String label) {
    }

    /**
     * The job configuration page: {@code form} as stored or as the user sent it, the script's
     * lint problems ({@code lines}), the definition's problems by form field ({@code fieldErrors})
     * and those of no field ({@code problems}); {@code credentials} are the ids the job sees.
     */
    public record ConfigPage(String name, List<Crumb> crumbs, String url, JobConfigForm form, long version, List<ScriptLine> lines,
                             List<String> problems, java.util.Map<String, List<String>> fieldErrors, String error, String saved,
                             boolean configure, List<Choice> credentials, List<String> parameters) {
        /** The problems of one form field; empty when it has none. */
        public List<String> errors(String field) {
            return fieldErrors.getOrDefault(field, List.of());
        }

        /** The {@code aria-describedby} of a field: its error's id when it has one, else its hint's. */
        public String describedBy(String field, String hint) {
            return fieldErrors.containsKey(field) ? "err-" + field.replace('.', '-') : hint;
        }
    }

    public record NewJobPage(List<Crumb> crumbs, String name, String script, List<String> problems, String error) {
    }

    public record StageBox(String id, String name, String status, String cls, String duration, String url, List<StageBox> branches) {
    }

    /** A pending input; {@code proceed} and {@code abort} say whether the user may answer so. */
    public record InputForm(String id, String message, String ok, String submitter, List<Param> params, String action,
                            boolean proceed, boolean abort) {
    }

    /** The parts of the build page that change while it runs (re-fetched by ui.js as a fragment). */
    public record Live(String url, boolean running, String status, String cls, String duration, String why,
                       List<StageBox> stages, List<InputForm> inputs, String stopUrl) {
    }

    public record LogLine(long offset, String anchor, String time, List<Ansi.Span> spans) {
    }

    /**
     * Consecutive lines of the console written by one step ({@code step} its id, {@code title}
     * what the foldable block says), or by none ({@code step} null: shown unfolded).
     */
    public record LogBlock(String step, String title, String status, String cls, List<LogLine> lines) {
    }

    public record TestRow(String name, String className, String stage, String status, String cls, String duration,
                          String message, String details, String historyUrl) {
    }

    /** One build's outcome of a test: {@code status} "not run" when the build did not record it. */
    public record TestHistoryRow(int number, String url, String buildStatus, String buildCls, String status, String cls,
                                 String duration, String message) {
    }

    /** A test's results over the job's recent builds, newest first, with a chart of its durations (oldest left). */
    public record TestHistoryPage(String job, List<Crumb> crumbs, String className, String name, List<TestHistoryRow> rows,
                                  Chart chart, int failed, int passed, int skipped, int absent, String summary) {
    }

    public record Tests(int total, int failed, int skipped, int passed, List<TestRow> failures, List<TestRow> others, int hidden) {
    }

    public record Artifact(String path, String url) {
    }

    public record BuildPage(String job, int number, List<Crumb> crumbs, String title, Live live, String cause,
                            List<KeyValue> parameters, String description, List<LogLine> log, long logStart, long logEnd,
                            long logSize, String fullLogUrl, String rawLogUrl, String streamUrl, Tests tests,
                            List<Artifact> artifacts, String zipUrl, List<String> restartStages, String restartUrl,
                            String replayUrl, String error, String previousUrl, String nextUrl, List<Change> changes,
                            List<LogBlock> logBlocks, List<Panel> panels) {
    }

    /**
     * A plugin's panel on the build page: its title and the HTML it rendered (shown in a
     * sandboxed frame), or the error that replaced it (html null).
     */
    public record Panel(String title, String html, String error) {
    }

    /** A commit a build's checkout brought (or the checkout itself when it brought none new): the build page's Changes. */
    public record Change(String repository, String revision, String commit, String author, String message, List<String> paths) {
    }

    public record LogPage(String job, int number, List<Crumb> crumbs, String title, List<LogLine> lines, long start, long end,
                          long size, String prevUrl, String nextUrl, String firstUrl, String lastUrl, String rawUrl, String buildUrl,
                          List<LogBlock> blocks) {
    }

    public record ReplayPage(String job, int number, List<Crumb> crumbs, String script, List<ScriptLine> lines,
                             List<String> problems, String action) {
    }

    public record Created(String name, String secret, String command) {
    }

    public record AgentsPage(List<Crumb> crumbs, boolean available, List<AgentRow> agents, List<KeyValue> waiting,
                             Created created, String error, boolean manage) {
    }

    public record PluginRow(String id, String version, String state, String cls, String error, List<String> warnings,
                            boolean bundled, String description, String steps, boolean enabled) {
    }

    public record PluginsPage(List<Crumb> crumbs, boolean available, List<PluginRow> plugins, String message, String error, boolean manage) {
    }

    public record SystemPage(List<Crumb> crumbs, List<KeyValue> facts) {
    }

    public record ErrorPage(List<Crumb> crumbs, int status, String message) {
    }
}
