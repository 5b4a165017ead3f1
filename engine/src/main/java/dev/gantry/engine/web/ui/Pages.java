package dev.gantry.engine.web.ui;

import dev.gantry.api.build.InputRequest;
import dev.gantry.api.build.TestCaseResult;
import dev.gantry.engine.jobs.ParameterDefinition;
import dev.gantry.engine.pipeline.Problem;
import dev.gantry.engine.plugin.PluginInfo;
import dev.gantry.engine.plugin.PluginState;
import dev.gantry.engine.queue.QueueItem;
import dev.gantry.engine.security.Identity;
import dev.gantry.engine.security.Permission;
import dev.gantry.engine.server.BuildControl;
import dev.gantry.engine.server.BuildLogs;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.server.ControllerService;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildStatus;
import dev.gantry.engine.store.Folder;
import dev.gantry.engine.store.JobRecord;
import dev.gantry.engine.store.JobRepository;
import dev.gantry.engine.store.LogIndex;
import dev.gantry.engine.testresults.InMemoryTestResults;
import dev.gantry.engine.web.ui.Views.*;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Computes the views of the pages from the controller's services; no HTTP here. Thread-safe. */
final class Pages {
    /** How much of a log's end the build page shows (the rest is paged). */
    static final int TAIL_BYTES = 64 * 1024;
    /** One page of the full log. */
    static final int PAGE_BYTES = 256 * 1024;
    static final int BUILDS_PER_PAGE = 25;
    private static final int CHART_BUILDS = 50;
    private static final int HEALTH_BUILDS = 5;
    private static final int TESTS_SHOWN = 500;
    /** How many of the job's newest builds a test's history covers. */
    static final int TEST_HISTORY_BUILDS = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final WebUi.Services services;
    private final Controller controller;

    Pages(WebUi.Services services) {
        this.services = services;
        this.controller = services.controller();
    }

    // ---- dashboard and folders

    /** Who is signed in, for the header and forms of every page. */
    static Me me(Identity me) {
        return new Me(me.name(), me.session() == null ? "" : me.session().csrf(), me.session() != null,
                me.permitsSomewhere(Permission.CONFIGURE), me.permits(Permission.READ), me.permits(Permission.READ),
                me.permits(Permission.ADMINISTER), me.permitsSomewhere(Permission.MANAGE_CREDENTIALS));
    }

    /**
     * The dashboard ({@code folder} empty) or a folder's page, listing only what {@code me} may
     * read: jobs with read on them, folders with read on them or on something inside.
     */
    Dashboard dashboard(String folder, Identity me) {
        List<Crumb> crumbs = crumbs(folder, false);
        String description = null;
        if (!folder.isEmpty()) {
            Folder f = controller.folder(folder).orElseThrow(() -> new NoSuchElementException("there is no folder '" + folder + "'"));
            description = me.permits(Permission.READ, folder, true) ? f.description() : null;
        }
        JobRepository.Children children = controller.children(folder);
        List<FolderRow> folders = new ArrayList<>();
        for (Folder f : children.folders()) {
            if (me.permitsWithin(Permission.READ, f.name())) {
                folders.add(new FolderRow(f.name(), last(f.name()), Urls.folder(f.name()),
                        me.permits(Permission.READ, f.name(), true) ? f.description() : null));
            }
        }
        List<JobRow> jobs = new ArrayList<>();
        for (JobRecord j : children.jobs()) {
            if (me.permits(Permission.READ, j.name(), false)) {
                jobs.add(jobRow(j));
            }
        }
        List<RunningRow> running = new ArrayList<>();
        if (controller instanceof ControllerService cs) {
            Instant now = Instant.now();
            for (BuildRecord b : cs.runningBuilds()) {
                if (!within(folder, b.job()) || !me.permits(Permission.READ, b.job(), false)) {
                    continue;
                }
                String stage = b.stages().isEmpty() ? "" : b.stages().get(b.stages().size() - 1).name();
                running.add(new RunningRow(b.job(), Urls.job(b.job()), b.number(), Urls.build(b.job(), b.number()),
                        b.startedAt() == null ? "" : duration(Duration.between(b.startedAt(), now).toMillis()), stage));
            }
        }
        Map<String, String> waitingFor = new LinkedHashMap<>();
        if (services.agents() != null) {
            for (Map<String, Object> w : services.agents().waiting()) {
                waitingFor.put(w.get("job") + "#" + w.get("build"), String.valueOf(w.get("reason")));
            }
        }
        List<QueueRow> queue = new ArrayList<>();
        Instant now = Instant.now();
        for (QueueItem q : controller.queue()) {
            if (within(folder, q.job()) && me.permits(Permission.READ, q.job(), false)) {
                queue.add(new QueueRow(q.job(), Urls.job(q.job()), q.number(), Urls.build(q.job(), q.number()), q.why(),
                        duration(Duration.between(q.queuedAt(), now).toMillis())));
            }
        }
        // Builds that started but whose steps wait for an agent: the queue of node requests.
        waitingFor.forEach((key, why) -> {
            int hash = key.lastIndexOf('#');
            String job = key.substring(0, hash);
            if (within(folder, job) && me.permits(Permission.READ, job, false)) {
                int number = Integer.parseInt(key.substring(hash + 1));
                queue.add(new QueueRow(job, Urls.job(job), number, Urls.build(job, number), why, ""));
            }
        });
        boolean agents = services.agents() != null && me.permits(Permission.READ);
        return new Dashboard(folder.isEmpty() ? "Dashboard" : last(folder), crumbs, description, folders, jobs, running, queue,
                agents ? agentRows() : List.of(), agents, me.permitsWithin(Permission.CONFIGURE, folder)
                        ? "/new" + (folder.isEmpty() ? "" : "?folder=" + Urls.q(folder)) : null);
    }

    private static boolean within(String folder, String job) {
        return folder.isEmpty() || job.startsWith(folder + "/");
    }

    private JobRow jobRow(JobRecord j) {
        List<BuildRecord> recent = controller.builds(j.name(), 0, HEALTH_BUILDS + 1);
        BuildRecord lastDone = recent.stream().filter(b -> b.status() == BuildStatus.COMPLETED).findFirst().orElse(null);
        BuildRecord newest = recent.isEmpty() ? null : recent.get(0);
        String result = newest == null ? "never built" : status(newest);
        String health = "";
        String healthTitle = "";
        List<BuildRecord> done = recent.stream().filter(b -> b.status() == BuildStatus.COMPLETED).limit(HEALTH_BUILDS).toList();
        if (!done.isEmpty()) {
            long ok = done.stream().filter(b -> "SUCCESS".equals(b.result())).count();
            int pct = (int) (100 * ok / done.size());
            health = pct + "%";
            healthTitle = ok + " of the last " + done.size() + " builds succeeded";
        }
        return new JobRow(j.name(), last(j.name()), Urls.job(j.name()), result, newest == null ? "none" : cls(newest),
                lastDone == null ? "" : duration(lastDone.durationMillis()),
                newest == null ? "" : "#" + newest.number(), newest == null ? "" : Urls.build(j.name(), newest.number()),
                health, healthTitle);
    }

    private List<AgentRow> agentRows() {
        List<AgentRow> out = new ArrayList<>();
        if (services.agents() == null) {
            return out;
        }
        for (Map<String, Object> a : services.agents().list()) {
            List<String> tasks = new ArrayList<>();
            if (a.get("tasks") instanceof List<?> l) {
                for (Object t : l) {
                    if (t instanceof Map<?, ?> m) {
                        tasks.add(m.get("job") + " #" + m.get("build"));
                    }
                }
            }
            Object labels = a.get("labels");
            String os = a.get("os") == null ? "" : a.get("os") + (a.get("arch") == null ? "" : " " + a.get("arch"));
            out.add(new AgentRow(String.valueOf(a.get("name")), Boolean.TRUE.equals(a.get("online")),
                    labels instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : "",
                    number(a.get("executors")), number(a.get("busy")), os, tasks));
        }
        return out;
    }

    private static int number(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }

    // ---- job

    JobPage job(String name, int page, Identity me) {
        JobRecord j = existingJob(name);
        int offset = Math.max(0, page) * BUILDS_PER_PAGE;
        List<BuildRecord> list = controller.builds(name, offset, BUILDS_PER_PAGE + 1);
        List<BuildRow> rows = new ArrayList<>();
        for (BuildRecord b : list.subList(0, Math.min(BUILDS_PER_PAGE, list.size()))) {
            rows.add(buildRow(b));
        }
        String older = list.size() > BUILDS_PER_PAGE ? Urls.job(name) + "?page=" + (page + 1) : null;
        String newer = page > 0 ? Urls.job(name) + (page == 1 ? "" : "?page=" + (page - 1)) : null;
        String scm = j.spec().scm() == null ? null : j.spec().scm().describe();
        return new JobPage(name, crumbs(name, true), Urls.job(name), j.spec().description(), scm, rows, newer, older,
                chart(name), params(j.settings().parameters(), "p-"), me.permits(Permission.BUILD, name, false) ? Urls.job(name) + "/~build" : null,
                Urls.job(name) + "/~config", page, me.permits(Permission.CONFIGURE, name, false));
    }

    private BuildRow buildRow(BuildRecord b) {
        String tests = "";
        if (b.tests() != null && !b.tests().isEmpty()) {
            tests = b.tests().getOrDefault("total", 0) + " tests" + (b.tests().getOrDefault("failed", 0) > 0
                    ? ", " + b.tests().get("failed") + " failed" : "");
        }
        return new BuildRow(b.number(), Urls.build(b.job(), b.number()), status(b), cls(b),
                b.status() == BuildStatus.COMPLETED ? duration(b.durationMillis()) : "",
                b.startedAt() == null ? "" : TIME.format(b.startedAt()), b.cause(), tests);
    }

    /** Durations of the newest builds as bars (oldest left), test totals as a line. */
    private Chart chart(String job) {
        List<BuildRecord> done = new ArrayList<>(controller.builds(job, 0, CHART_BUILDS).stream()
                .filter(b -> b.status() == BuildStatus.COMPLETED).toList());
        java.util.Collections.reverse(done);
        int width = 600;
        int height = 120;
        if (done.isEmpty()) {
            return new Chart(width, height, List.of(), "", "", false);
        }
        long max = Math.max(1, done.stream().mapToLong(BuildRecord::durationMillis).max().orElse(1));
        int maxTests = done.stream().mapToInt(b -> b.tests() == null ? 0 : b.tests().getOrDefault("total", 0)).max().orElse(0);
        // Up to 10 builds keep a bar's width; beyond that the bars narrow to fit all 50.
        int slot = width / Math.max(10, done.size());
        List<Bar> bars = new ArrayList<>();
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < done.size(); i++) {
            BuildRecord b = done.get(i);
            int h = (int) Math.max(2, Math.round((height - 10) * (double) b.durationMillis() / max));
            int x = i * slot;
            bars.add(new Bar(x + 1, height - h, slot - 2, h, cls(b), "#" + b.number() + " " + b.result() + " in " + duration(b.durationMillis()),
                    Urls.build(job, b.number())));
            if (maxTests > 0) {
                int t = b.tests() == null ? 0 : b.tests().getOrDefault("total", 0);
                int y = height - (int) Math.round((height - 10) * (double) t / maxTests);
                points.append(points.length() > 0 ? " " : "").append(x + slot / 2).append(',').append(y);
            }
        }
        return new Chart(width, height, bars, points.toString(), duration(max), maxTests > 0);
    }

    static List<Param> params(List<ParameterDefinition> defs, String idPrefix) {
        List<Param> out = new ArrayList<>();
        for (ParameterDefinition p : defs) {
            Object d = p.defaultValue();
            out.add(new Param(p.type(), p.name(), idPrefix + p.name().replaceAll("[^A-Za-z0-9_-]", "_"),
                    d == null || p.type().equals("password") ? "" : String.valueOf(d), Boolean.TRUE.equals(d), p.description(), p.choices()));
        }
        return out;
    }

    /**
     * The configuration page of job {@code name}: {@code form} null shows the stored definition;
     * {@code problems} are the script's (lint), {@code formProblems} the definition's (null: none).
     */
    ConfigPage config(String name, JobConfigForm form, List<Problem> problems, JobConfigForm.Problems formProblems, String error, String saved,
                      Identity me) {
        JobRecord j = existingJob(name);
        JobConfigForm f = form != null ? form : JobConfigForm.of(j);
        List<Choice> credentials = new ArrayList<>();
        credentials.add(new Choice("", "none"));
        boolean configure = me.permits(Permission.CONFIGURE, name, false);
        var secrets = controller.secrets();
        if (configure && secrets.isPresent()) {
            // The scopes the job sees, innermost first, as a build resolves them; ids only, never secrets.
            List<String> scopes = new ArrayList<>();
            for (String s = name; s.contains("/"); ) {
                s = s.substring(0, s.lastIndexOf('/'));
                scopes.add(s);
            }
            scopes.add("");
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String scope : scopes) {
                for (var c : secrets.get().credentials().list(scope)) {
                    if (seen.add(c.id())) {
                        credentials.add(new Choice(c.id(), c.id() + " (" + c.type() + (scope.isEmpty() ? ", global" : ", folder " + scope)
                                + (c.description() == null || c.description().isBlank() ? "" : ": " + c.description()) + ")"));
                    }
                }
            }
        }
        if (!f.scmCredentials().isEmpty() && credentials.stream().noneMatch(c -> c.value().equals(f.scmCredentials()))) {
            credentials.add(new Choice(f.scmCredentials(), f.scmCredentials() + " (not visible to this job)"));
        }
        List<String> general = new ArrayList<>(problems.stream().map(p -> p.line() + ":" + p.column() + ": " + p.message()).toList());
        if (formProblems != null) {
            general.addAll(formProblems.general());
        }
        List<String> parameters = j.spec().parameters().stream()
                .map(p -> p.name() + " (" + p.type() + (p.description() == null || p.description().isBlank() ? "" : ": " + p.description()) + ")").toList();
        return new ConfigPage(name, crumbs(name, true), Urls.job(name), f, j.version(), lines(f.script(), problems), general,
                formProblems == null ? Map.of() : formProblems.byField(), error, saved, configure, credentials, parameters);
    }

    /** The script's lines, each with the problems reported on it (the linter's, shown inline). */
    static List<ScriptLine> lines(String text, List<Problem> problems) {
        List<ScriptLine> out = new ArrayList<>();
        if (problems.isEmpty()) {
            return out;
        }
        String[] ls = text.split("\n", -1);
        for (int i = 0; i < ls.length; i++) {
            int n = i + 1;
            List<String> here = problems.stream().filter(p -> p.line() == n).map(p -> "column " + p.column() + ": " + p.message()).toList();
            out.add(new ScriptLine(n, ls[i], here));
        }
        return out;
    }

    // ---- build

    Live live(String job, int number, Identity me) {
        BuildRecord b = existingBuild(job, number);
        boolean running = b.status() != BuildStatus.COMPLETED;
        String why = null;
        if (b.status() == BuildStatus.QUEUED) {
            why = controller.queue().stream().filter(q -> q.job().equals(job) && q.number() == number).map(QueueItem::why).findFirst().orElse(null);
        }
        List<InputForm> inputs = new ArrayList<>();
        if (running && controller instanceof BuildControl control) {
            for (InputRequest r : control.inputs(job, number)) {
                boolean may = me.permits(Permission.BUILD, job, false) && BuildControl.maySubmit(r.submitter(), me.name());
                inputs.add(new InputForm(r.id(), r.message(), r.ok() == null ? "Proceed" : r.ok(), r.submitter(),
                        inputParams(r), Urls.build(job, number) + "/input", may, may && me.permits(Permission.CANCEL, job, false)));
            }
        }
        long ms = b.status() == BuildStatus.COMPLETED ? b.durationMillis()
                : b.startedAt() == null ? 0 : Duration.between(b.startedAt(), Instant.now()).toMillis();
        return new Live(Urls.build(job, number) + "/live", running, status(b), cls(b), b.startedAt() == null ? "" : duration(ms), why,
                stages(job, number, running), inputs, running && me.permits(Permission.CANCEL, job, false) ? Urls.build(job, number) + "/stop" : null);
    }

    private static List<Param> inputParams(InputRequest r) {
        List<Param> out = new ArrayList<>();
        if (r.parameters() == null) {
            return out;
        }
        for (Map<String, Object> p : r.parameters()) {
            String name = String.valueOf(p.get("name"));
            Object d = p.get("defaultValue");
            String type = String.valueOf(p.get("type"));
            out.add(new Param(type, name, "i-" + r.id().replaceAll("[^A-Za-z0-9_-]", "_") + "-" + name.replaceAll("[^A-Za-z0-9_-]", "_"),
                    d == null || type.equals("password") ? "" : String.valueOf(d), Boolean.TRUE.equals(d) || "true".equals(String.valueOf(d)),
                    p.get("description") == null ? null : String.valueOf(p.get("description")),
                    ParameterDefinition.choicesOf(p.get("choices"))));
        }
        return out;
    }

    /** The stage graph: top-level stages in order, each with its nested (parallel) stages. */
    private List<StageBox> stages(String job, int number, boolean running) {
        LogIndex index = index(job, number);
        long now = System.currentTimeMillis();
        Map<String, List<LogIndex.Node>> children = new LinkedHashMap<>();
        List<LogIndex.Node> top = new ArrayList<>();
        for (LogIndex.Node n : index.nodes()) {
            if (n.kind() != LogIndex.Kind.STAGE) {
                continue;
            }
            if (n.parent() == null || index.node(n.parent()).isEmpty()) {
                top.add(n);
            } else {
                children.computeIfAbsent(n.parent(), k -> new ArrayList<>()).add(n);
            }
        }
        List<StageBox> out = new ArrayList<>();
        for (LogIndex.Node n : top) {
            out.add(box(job, number, n, children, running, now, 0));
        }
        return out;
    }

    private StageBox box(String job, int number, LogIndex.Node n, Map<String, List<LogIndex.Node>> children, boolean running, long now, int depth) {
        List<StageBox> branches = new ArrayList<>();
        if (depth < 5) {
            for (LogIndex.Node c : children.getOrDefault(n.id(), List.of())) {
                branches.add(box(job, number, c, children, running, now, depth + 1));
            }
        }
        String status = n.status() != null ? n.status() : running ? "RUNNING" : "ABORTED";
        long ms = n.durationMillis() >= 0 ? n.durationMillis() : running ? Math.max(0, now - n.startMillis()) : 0;
        return new StageBox(n.id(), n.name(), status, statusClass(status), duration(ms),
                Urls.build(job, number) + "/step?id=" + Urls.q(n.id()), branches);
    }

    BuildPage build(String job, int number, Identity me) throws IOException {
        BuildRecord b = existingBuild(job, number);
        Live live = live(job, number, me);
        List<KeyValue> params = new ArrayList<>();
        JobRecord j = controller.job(job).orElse(null);
        java.util.Set<String> secret = new java.util.HashSet<>();
        if (j != null) {
            j.settings().parameters().stream().filter(p -> p.type().equals("password")).forEach(p -> secret.add(p.name()));
        }
        b.parameters().forEach((k, v) -> params.add(new KeyValue(k, secret.contains(k) ? "********" : String.valueOf(v))));
        long size = controller.logSize(job, number);
        long start = Math.max(0, size - TAIL_BYTES);
        Chunk tail = chunk(job, number, null, start, size, start > 0, live.running());
        List<LogLine> log = tail.lines();
        long logStart = log.isEmpty() ? tail.end() : log.get(0).offset();
        long logEnd = tail.end();
        Tests tests = tests(job, number, b);
        List<Artifact> artifacts = new ArrayList<>();
        for (String a : b.artifacts()) {
            artifacts.add(new Artifact(a, Urls.artifact(job, number, a)));
        }
        List<String> restart = new ArrayList<>();
        if (b.status() == BuildStatus.COMPLETED && controller instanceof BuildControl) {
            for (var s : b.stages()) {
                if (s.parent() == null && !restart.contains(s.name())) {
                    restart.add(s.name());
                }
            }
        }
        String error = controller.buildLogs().flatMap(l -> l.failure(job, number)).orElse(null);
        String base = Urls.build(job, number);
        boolean control = controller instanceof BuildControl && me.permits(Permission.REPLAY, job, false);
        return new BuildPage(job, number, crumbsBuild(job, number), job + " #" + number, live, b.cause(), params, null, log,
                logStart, logEnd, size, base + "/log", Urls.apiBuild(job, number) + "/log",
                Urls.apiBuild(job, number) + "/log/stream", tests, artifacts,
                artifacts.isEmpty() ? null : Urls.apiBuild(job, number) + "/artifacts.zip", restart,
                control && !restart.isEmpty() ? base + "/restart" : null, control && b.status() == BuildStatus.COMPLETED ? base + "/replay" : null, error,
                number > 1 && controller.build(job, number - 1).isPresent() ? Urls.build(job, number - 1) : null,
                controller.build(job, number + 1).isPresent() ? Urls.build(job, number + 1) : null,
                changes(job, number), blocks(tail.index(), log, live.running()), BuildPanels.render(controller, b));
    }

    /** The commits the build's checkouts brought, newest first per checkout (the git plugin records them). */
    private List<Change> changes(String job, int number) {
        List<Change> out = new ArrayList<>();
        for (Map<String, Object> set : controller.scm().map(s -> s.changeSets(job, number)).orElse(List.of())) {
            String repository = String.valueOf(set.getOrDefault("url", ""));
            String revision = shortId(set.get("revision"));
            if (!(set.get("items") instanceof List<?> items) || items.isEmpty()) {
                out.add(new Change(repository, revision, null, null, null, List.of()));
                continue;
            }
            for (Object o : items) {
                if (o instanceof Map<?, ?> item) {
                    String message = item.get("msg") == null ? "" : item.get("msg").toString().strip();
                    int nl = message.indexOf('\n');
                    List<String> paths = new ArrayList<>();
                    if (item.get("affectedPaths") instanceof List<?> ps) {
                        ps.forEach(x -> paths.add(String.valueOf(x)));
                    }
                    out.add(new Change(repository, revision, shortId(item.get("commitId")),
                            item.get("author") == null ? null : item.get("author").toString(), nl < 0 ? message : message.substring(0, nl), paths));
                }
            }
        }
        return out;
    }

    private static String shortId(Object id) {
        String s = id == null ? "" : id.toString();
        return s.length() > 12 ? s.substring(0, 12) : s;
    }

    private Tests tests(String job, int number, BuildRecord b) {
        if (!(controller instanceof ControllerService cs) || b.status() != BuildStatus.COMPLETED) {
            return null;
        }
        List<InMemoryTestResults.Entry> cases = cs.testCases(job, number);
        if (cases.isEmpty()) {
            return null;
        }
        List<TestRow> failures = new ArrayList<>();
        List<TestRow> others = new ArrayList<>();
        int failed = 0;
        int skipped = 0;
        int hidden = 0;
        for (InMemoryTestResults.Entry e : cases) {
            TestCaseResult c = e.testCase();
            TestRow row = new TestRow(c.name(), c.className(), e.stage(), c.status().name(),
                    c.status() == TestCaseResult.Status.FAILED ? "failure" : c.status() == TestCaseResult.Status.SKIPPED ? "skipped" : "success",
                    String.format(java.util.Locale.ROOT, "%.3f s", c.durationSeconds()), c.message(), c.details(),
                    testHistoryUrl(job, c.className(), c.name()));
            if (c.status() == TestCaseResult.Status.FAILED) {
                failed++;
                if (failures.size() < TESTS_SHOWN) {
                    failures.add(row);
                } else {
                    hidden++;
                }
            } else {
                if (c.status() == TestCaseResult.Status.SKIPPED) {
                    skipped++;
                }
                if (others.size() < TESTS_SHOWN) {
                    others.add(row);
                } else {
                    hidden++;
                }
            }
        }
        others.sort(Comparator.comparing((TestRow r) -> !r.status().equals("SKIPPED")));
        return new Tests(cases.size(), failed, skipped, cases.size() - failed - skipped, failures, others, hidden);
    }

    /** A message's first line, at most 300 characters: the history lists many. */
    private static String firstLine(String message) {
        if (message == null) {
            return null;
        }
        String s = message.strip();
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl) + " ...";
        return s.length() > 300 ? s.substring(0, 300) + " ..." : s;
    }

    static String testHistoryUrl(String job, String className, String name) {
        return Urls.job(job) + "/~test?" + (className == null ? "" : "class=" + Urls.q(className) + "&") + "name=" + Urls.q(name);
    }

    /**
     * The results of one test (class {@code className}, may be null, and {@code name}) in the
     * job's last {@link #TEST_HISTORY_BUILDS} builds: one page of builds from the database and, of
     * each completed one, only the lines of its test file that name the test.
     */
    TestHistoryPage testHistory(String job, String className, String name) {
        existingJob(job);
        List<BuildRecord> builds = controller.builds(job, 0, TEST_HISTORY_BUILDS);
        List<TestHistoryRow> rows = new ArrayList<>();
        List<Bar> bars = new ArrayList<>();
        int failed = 0;
        int passed = 0;
        int skipped = 0;
        int absent = 0;
        Integer lastFailed = null;
        ControllerService cs = controller instanceof ControllerService c ? c : null;
        List<double[]> points = new ArrayList<>();
        for (BuildRecord b : builds) {
            Optional<InMemoryTestResults.Entry> e = cs == null || b.status() != BuildStatus.COMPLETED ? Optional.empty()
                    : cs.testCase(job, b.number(), className, name);
            String url = Urls.build(job, b.number());
            if (e.isEmpty()) {
                absent++;
                rows.add(new TestHistoryRow(b.number(), url, status(b), cls(b), b.status() == BuildStatus.COMPLETED ? "not run" : "", "none", "", null));
                continue;
            }
            TestCaseResult t = e.get().testCase();
            String cls = switch (t.status()) {
                case FAILED -> "failure";
                case SKIPPED -> "skipped";
                default -> "success";
            };
            switch (t.status()) {
                case FAILED -> {
                    failed++;
                    if (lastFailed == null) {
                        lastFailed = b.number();
                    }
                }
                case SKIPPED -> skipped++;
                default -> passed++;
            }
            rows.add(new TestHistoryRow(b.number(), url + "#tests", status(b), cls(b), t.status().name(), cls,
                    String.format(java.util.Locale.ROOT, "%.3f s", t.durationSeconds()), firstLine(t.message())));
            points.add(new double[] {b.number(), t.durationSeconds(), t.status() == TestCaseResult.Status.FAILED ? 1 : t.status() == TestCaseResult.Status.SKIPPED ? 2 : 0});
        }
        // Bars oldest left, as on the job page.
        java.util.Collections.reverse(points);
        int width = 600;
        int height = 120;
        double max = points.stream().mapToDouble(p -> p[1]).max().orElse(0);
        int slot = width / Math.max(10, points.size());
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            int h = (int) Math.max(2, Math.round((height - 10) * (max <= 0 ? 0 : p[1] / max)));
            String cls = p[2] == 1 ? "failure" : p[2] == 2 ? "none" : "success";
            String state = p[2] == 1 ? "FAILED" : p[2] == 2 ? "SKIPPED" : "PASSED";
            bars.add(new Bar(i * slot + 1, height - h, slot - 2, h, cls,
                    "#" + (int) p[0] + " " + state + " in " + String.format(java.util.Locale.ROOT, "%.3f s", p[1]),
                    Urls.build(job, (int) p[0]) + "#tests"));
        }
        String summary = builds.isEmpty() ? "The job has no builds yet."
                : "In the last " + builds.size() + " builds: " + failed + " failed, " + passed + " passed, " + skipped + " skipped, " + absent
                + " without this test" + (lastFailed == null ? "." : "; last failure in #" + lastFailed + ".");
        List<Crumb> crumbs = crumbs(job, true);
        crumbs.add(new Crumb("Test " + name, testHistoryUrl(job, className, name)));
        return new TestHistoryPage(job, crumbs, className, name, rows,
                new Chart(width, height, bars, "", String.format(java.util.Locale.ROOT, "%.3f s", max), false), failed, passed, skipped, absent, summary);
    }

    /**
     * The log lines of bytes {@code [from, to)}: when {@code skipPartial}, from the first line
     * that starts in the range; a line still being written at the end is left out (the live
     * stream sends it whole).
     */
    List<LogLine> logLines(String job, int number, LogIndex index, long from, long to, boolean skipPartial) throws IOException {
        return chunk(job, number, index, from, to, skipPartial, false).lines();
    }

    /** Lines read, the offset after the last one, and the step index that gave them their times. */
    record Chunk(List<LogLine> lines, long end, LogIndex index) {
    }

    /**
     * The log lines of bytes {@code [from, to)}: when {@code skipPartial}, from the first line
     * that starts in the range; when {@code wholeOnly}, a last line without its newline (still
     * being written) is left out, for the live stream to send whole. {@code index} is the build's
     * step index, which gives each line its step's start time; null: read after the bytes (so that
     * it covers them as far as it can), and returned with the lines for their step blocks.
     */
    Chunk chunk(String job, int number, LogIndex index, long from, long to, boolean skipPartial, boolean wholeOnly) throws IOException {
        if (to <= from) {
            return new Chunk(List.of(), from, index != null ? index : LogIndex.empty());
        }
        // One byte before the range tells whether its first line starts exactly at the range.
        long base = skipPartial && from > 0 ? from - 1 : from;
        byte[] buf;
        try (InputStream in = controller.log(job, number, base)) {
            buf = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, to - base));
        }
        int pos = 0;
        if (base < from && buf.length > 0) {
            int nl = buf[0] == '\n' ? 0 : indexOf(buf, 0);
            pos = nl < 0 ? buf.length : nl + 1;
        }
        LogIndex steps = index != null ? index : index(job, number);
        List<LogIndex.Owned> owned = steps.owned();
        List<LogLine> out = new ArrayList<>();
        while (pos < buf.length) {
            int nl = indexOf(buf, pos);
            if (nl < 0 && wholeOnly) {
                break;
            }
            int end = nl < 0 ? buf.length : nl;
            long offset = base + pos;
            String text = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            out.add(new LogLine(offset, "o" + offset, time(owned, offset), Ansi.spans(text)));
            pos = nl < 0 ? buf.length : nl + 1;
        }
        return new Chunk(out, base + pos, steps);
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The lines grouped into blocks of consecutive lines of one step (foldable in the console);
     * lines no step wrote stand alone. A step's status is RUNNING while it runs in a running build.
     */
    List<LogBlock> blocks(LogIndex index, List<LogLine> lines, boolean running) {
        List<LogIndex.Owned> owned = index.owned();
        List<LogBlock> out = new ArrayList<>();
        LogIndex.Node current = null;
        List<LogLine> group = new ArrayList<>();
        for (LogLine l : lines) {
            LogIndex.Owned o = owner(owned, l.offset());
            LogIndex.Node n = o == null ? null : o.node();
            if (!group.isEmpty() && !java.util.Objects.equals(n == null ? null : n.id(), current == null ? null : current.id())) {
                out.add(block(index, current, group, running));
                group = new ArrayList<>();
            }
            current = n;
            group.add(l);
        }
        if (!group.isEmpty()) {
            out.add(block(index, current, group, running));
        }
        return out;
    }

    private static LogBlock block(LogIndex index, LogIndex.Node n, List<LogLine> lines, boolean running) {
        if (n == null) {
            return new LogBlock(null, null, null, "none", lines);
        }
        String status = n.status() != null ? n.status() : running ? "RUNNING" : "";
        String duration = n.durationMillis() >= 0 ? duration(n.durationMillis()) : "";
        return new LogBlock(n.id(), LogSteps.title(index, n), status + (duration.isEmpty() ? "" : " · " + duration), statusClass(status), lines);
    }

    /** The range (and its step) that holds the byte at {@code offset}, or null. */
    private static LogIndex.Owned owner(List<LogIndex.Owned> owned, long offset) {
        int lo = 0;
        int hi = owned.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            LogIndex.Owned o = owned.get(mid);
            if (offset < o.start()) {
                hi = mid - 1;
            } else if (offset >= o.end()) {
                lo = mid + 1;
            } else {
                return o;
            }
        }
        return null;
    }

    /** The start time of the step that wrote the byte at {@code offset}, or "". */
    private static String time(List<LogIndex.Owned> owned, long offset) {
        LogIndex.Owned o = owner(owned, offset);
        return o == null ? "" : CLOCK.format(Instant.ofEpochMilli(o.node().startMillis()));
    }

    LogPage logPage(String job, int number, long requested) throws IOException {
        existingBuild(job, number);
        long size = controller.logSize(job, number);
        long start = Math.max(0, Math.min(requested, size));
        long end = Math.min(size, start + PAGE_BYTES);
        Chunk page = chunk(job, number, null, start, end, start > 0, false);
        List<LogLine> lines = page.lines();
        // The last line may be cut by the page's end: it goes to the next page, which starts with it.
        long next = end;
        if (end < size && lines.size() > 1) {
            next = lines.get(lines.size() - 1).offset();
            lines = lines.subList(0, lines.size() - 1);
        }
        String base = Urls.build(job, number) + "/log";
        return new LogPage(job, number, crumbsBuild(job, number), job + " #" + number + " console", lines, start, next, size,
                start > 0 ? base + "?start=" + Math.max(0, start - PAGE_BYTES) : null,
                next < size ? base + "?start=" + next : null, base + "?start=0",
                base + "?start=" + Math.max(0, size - PAGE_BYTES), Urls.apiBuild(job, number) + "/log", Urls.build(job, number),
                blocks(page.index(), lines, false));
    }

    /** One stage's or step's log page (at most its last {@link #PAGE_BYTES}). */
    LogPage stepLog(String job, int number, String id) throws IOException {
        existingBuild(job, number);
        LogIndex index = index(job, number);
        LogIndex.Node node = index.node(id).orElseThrow(() -> new NoSuchElementException("build #" + number + " of " + job + " has no stage or step '" + id + "'"));
        List<LogLine> lines = new ArrayList<>();
        long total = 0;
        for (LogIndex.Range r : index.ranges(id)) {
            total += r.length();
        }
        long skip = Math.max(0, total - PAGE_BYTES);
        for (LogIndex.Range r : index.ranges(id)) {
            if (skip >= r.length()) {
                skip -= r.length();
                continue;
            }
            long from = r.start() + skip;
            lines.addAll(logLines(job, number, index, from, r.end(), skip > 0));
            skip = 0;
        }
        String title = (node.kind() == LogIndex.Kind.STAGE ? "Stage " : "Step ") + node.name();
        return new LogPage(job, number, crumbsBuild(job, number), title, lines, 0, total, total, null, null, null, null,
                Urls.apiBuild(job, number) + "/steps/" + Urls.seg(id) + "/log", Urls.build(job, number), blocks(index, lines, false));
    }

    ReplayPage replay(String job, int number, String script, List<Problem> problems) {
        existingBuild(job, number);
        String text = script;
        if (text == null && controller instanceof ControllerService cs) {
            text = cs.buildScript(job, number).orElse(null);
        }
        if (text == null) {
            text = existingJob(job).script();
        }
        return new ReplayPage(job, number, crumbsBuild(job, number), text, lines(text, problems),
                problems.stream().map(p -> p.line() + ":" + p.column() + ": " + p.message()).toList(), Urls.build(job, number) + "/replay");
    }

    // ---- agents, plugins, system

    AgentsPage agents(Created created, String error, Identity me) {
        List<KeyValue> waiting = new ArrayList<>();
        if (services.agents() != null) {
            for (Map<String, Object> w : services.agents().waiting()) {
                waiting.add(new KeyValue(w.get("job") + " #" + w.get("build"), String.valueOf(w.get("reason"))));
            }
        }
        return new AgentsPage(List.of(new Crumb("Dashboard", "/"), new Crumb("Agents", "/agents")), services.agents() != null,
                agentRows(), waiting, created, error, me.permits(Permission.MANAGE_AGENTS));
    }

    PluginsPage plugins(String message, String error, Identity me) {
        List<PluginRow> rows = new ArrayList<>();
        Optional<dev.gantry.engine.plugin.PluginSystem> system = controller.plugins();
        if (system.isPresent()) {
            for (PluginInfo p : system.get().list()) {
                String cls = p.state() == PluginState.STARTED ? "success" : p.state() == PluginState.DISABLED ? "none" : "failure";
                rows.add(new PluginRow(p.id(), p.version(), p.state().name(), cls, p.error(), p.warnings(), p.bundled(), p.description(),
                        String.join(", ", p.steps()), p.state() != PluginState.DISABLED));
            }
        }
        return new PluginsPage(List.of(new Crumb("Dashboard", "/"), new Crumb("Plugins", "/plugins")), system.isPresent(), rows, message, error,
                me.permits(Permission.MANAGE_PLUGINS));
    }

    SystemPage system() {
        List<KeyValue> facts = new ArrayList<>();
        facts.add(new KeyValue("Gantry version", dev.gantry.engine.plugin.EngineVersion.CURRENT));
        facts.add(new KeyValue("Java", System.getProperty("java.vendor", "") + " " + Runtime.version()));
        facts.add(new KeyValue("Operating system", System.getProperty("os.name") + " " + System.getProperty("os.arch")));
        if (services.home() != null) {
            facts.add(new KeyValue("Home", services.home().toString()));
            try {
                facts.add(new KeyValue("Database size", bytes(Files.size(services.home().resolve("db").resolve("gantry.mv.db")))));
            } catch (IOException e) {
                facts.add(new KeyValue("Database size", "unknown (" + e.getMessage() + ")"));
            }
        }
        if (controller instanceof ControllerService cs) {
            facts.add(new KeyValue("Builds running", Integer.toString(cs.runningCount())));
            if (services.agents() != null) {
                int[] executors = services.agents().executorFigures();
                facts.add(new KeyValue("Executors (online agents)", executors[1] + " busy of " + executors[0]));
            }
            facts.add(new KeyValue("Queue", cs.queueLength() + " waiting"));
        }
        facts.add(new KeyValue("Jobs", Integer.toString(controller.jobs().size())));
        Runtime rt = Runtime.getRuntime();
        facts.add(new KeyValue("Heap", bytes(rt.totalMemory() - rt.freeMemory()) + " used of " + bytes(rt.maxMemory())));
        return new SystemPage(List.of(new Crumb("Dashboard", "/"), new Crumb("System", "/system")), facts);
    }

    // ---- helpers

    JobRecord existingJob(String name) {
        return controller.job(name).orElseThrow(() -> new NoSuchElementException("there is no job '" + name + "'"));
    }

    BuildRecord existingBuild(String job, int number) {
        Optional<BuildRecord> b = controller.build(job, number);
        if (b.isPresent()) {
            return b.get();
        }
        existingJob(job);
        throw new NoSuchElementException("job '" + job + "' has no build #" + number);
    }

    private LogIndex index(String job, int number) {
        Optional<BuildLogs> logs = controller.buildLogs();
        if (logs.isEmpty()) {
            return LogIndex.empty();
        }
        try {
            return logs.get().index(job, number);
        } catch (IOException e) {
            return LogIndex.empty();
        }
    }

    static List<Crumb> crumbs(String name, boolean lastIsJob) {
        List<Crumb> out = new ArrayList<>();
        out.add(new Crumb("Dashboard", "/"));
        if (name.isEmpty()) {
            return out;
        }
        String[] parts = name.split("/");
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            path.append(i > 0 ? "/" : "").append(parts[i]);
            boolean job = lastIsJob && i == parts.length - 1;
            out.add(new Crumb(parts[i], job ? Urls.job(path.toString()) : Urls.folder(path.toString())));
        }
        return out;
    }

    static List<Crumb> crumbsBuild(String job, int number) {
        List<Crumb> out = crumbs(job, true);
        out.add(new Crumb("#" + number, Urls.build(job, number)));
        return out;
    }

    static String last(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    static String status(BuildRecord b) {
        return b.status() == BuildStatus.COMPLETED ? b.result() : b.status().name();
    }

    static String cls(BuildRecord b) {
        return statusClass(status(b));
    }

    static String statusClass(String status) {
        if (status == null) {
            return "none";
        }
        return switch (status) {
            case "SUCCESS" -> "success";
            case "FAILURE" -> "failure";
            case "UNSTABLE" -> "unstable";
            case "RUNNING" -> "running";
            case "QUEUED" -> "queued";
            case "ABORTED" -> "aborted";
            default -> "none";
        };
    }

    static String duration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
        }
        return String.format(java.util.Locale.ROOT, "%.2f GB", n / (1024.0 * 1024 * 1024));
    }
}
