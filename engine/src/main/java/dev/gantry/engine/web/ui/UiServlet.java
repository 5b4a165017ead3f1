package dev.gantry.engine.web.ui;

import dev.gantry.engine.jobs.JobDefinition;
import dev.gantry.engine.jobs.ParameterDefinition;
import dev.gantry.engine.plugin.PluginConflictException;
import dev.gantry.engine.plugin.PluginSystem;
import dev.gantry.engine.server.BuildControl;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.server.JobNames;
import dev.gantry.engine.store.JobRecord;
import dev.gantry.engine.store.JobTreeConflictException;
import dev.gantry.engine.store.StaleVersionException;
import dev.gantry.engine.web.ui.Views.Created;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The one servlet of the web UI: routes GET requests to pages and POSTed forms to the
 * controller's services, answering with a redirect (303) to the page that shows the outcome, or
 * the form again with what was wrong. Every answer carries a strict Content-Security-Policy: the
 * pages have no inline script or style.
 */
final class UiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final Map<String, String> STATIC = Map.of("ui.css", "text/css; charset=UTF-8",
            "ui.js", "text/javascript; charset=UTF-8", "favicon.svg", "image/svg+xml");

    private final transient WebUi.Services services;
    private final transient Controller controller;
    private final transient Pages pages;
    private final transient TemplateEngine templates;

    UiServlet(WebUi.Services services) {
        this.services = services;
        this.controller = services.controller();
        this.pages = new Pages(services);
        this.templates = TemplateEngine.createPrecompiled(null, ContentType.Html, UiServlet.class.getClassLoader(),
                "dev.gantry.engine.web.ui.templates");
    }

    /** A request's path below the context, decoded once, and the job route inside it. */
    private record Route(String path, String job, String action) {
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            get(req, resp);
        } catch (RuntimeException e) {
            error(resp, e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        req.setCharacterEncoding("UTF-8");
        try {
            post(req, resp);
        } catch (RuntimeException e) {
            error(resp, e);
        }
    }

    private void get(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = path(req);
        if (path.isEmpty() || path.equals("/")) {
            page(resp, 200, "dashboard", pages.dashboard(""));
        } else if (path.startsWith("/static/")) {
            staticFile(path.substring("/static/".length()), resp);
        } else if (path.startsWith("/folder/")) {
            List<String> parts = new ArrayList<>();
            for (String seg : path.substring("/folder/".length()).split("/", -1)) {
                parts.add(decode(seg));
            }
            String folder = String.join("/", parts);
            checkName(folder);
            page(resp, 200, "dashboard", pages.dashboard(folder));
        } else if (path.equals("/new")) {
            String folder = req.getParameter("folder");
            page(resp, 200, "newjob", new Views.NewJobPage(List.of(new Views.Crumb("Dashboard", "/")),
                    folder == null || folder.isEmpty() ? "" : folder + "/", "", List.of(), null));
        } else if (path.equals("/agents")) {
            page(resp, 200, "agents", pages.agents(null, null));
        } else if (path.equals("/plugins")) {
            page(resp, 200, "plugins", pages.plugins(null, null));
        } else if (path.equals("/system")) {
            page(resp, 200, "system", pages.system());
        } else if (path.startsWith("/job/")) {
            getJob(jobRoute(path), req, resp);
        } else {
            throw new NoSuchElementException("there is no page " + path);
        }
    }

    private void getJob(Route r, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String a = r.action();
        if (a == null) {
            page(resp, 200, "job", pages.job(r.job(), intParam(req.getParameter("page"), 0)));
        } else if (a.equals("~config")) {
            page(resp, 200, "config", pages.config(r.job(), null, List.of(), null, req.getParameter("saved") != null ? "Saved." : null));
        } else if (a.equals("~build")) {
            page(resp, 200, "job", pages.job(r.job(), 0));
        } else if (a.matches("~[0-9]{1,9}(/.*)?")) {
            int slash = a.indexOf('/');
            int number = Integer.parseInt(a.substring(1, slash < 0 ? a.length() : slash));
            String sub = slash < 0 ? "" : a.substring(slash + 1);
            switch (sub) {
                case "" -> page(resp, 200, "build", pages.build(r.job(), number));
                case "live" -> page(resp, 200, "live", pages.live(r.job(), number));
                case "log" -> page(resp, 200, "log", pages.logPage(r.job(), number, longParam(req.getParameter("start"))));
                case "step" -> page(resp, 200, "log", pages.stepLog(r.job(), number, required(req, "id")));
                case "replay" -> page(resp, 200, "replay", pages.replay(r.job(), number, null, List.of()));
                default -> throw new NoSuchElementException("there is no page " + r.path());
            }
        } else {
            throw new NoSuchElementException("there is no page " + r.path());
        }
    }

    private void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = path(req);
        if (path.equals("/new")) {
            createJob(req, resp);
        } else if (path.equals("/agents")) {
            createAgent(req, resp);
        } else if (path.startsWith("/plugins/")) {
            plugin(path.substring("/plugins/".length()), req, resp);
        } else if (path.startsWith("/job/")) {
            postJob(jobRoute(path), req, resp);
        } else {
            throw new NoSuchElementException("there is no form " + path);
        }
    }

    private void postJob(Route r, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String job = r.job();
        String a = r.action() == null ? "" : r.action();
        if (a.equals("~build")) {
            JobRecord j = pages.existingJob(job);
            Map<String, Object> values = new LinkedHashMap<>();
            for (ParameterDefinition p : j.settings().parameters()) {
                String v = req.getParameter(p.name());
                if (p.type().equals("booleanParam")) {
                    values.put(p.name(), v != null);
                } else if (v != null) {
                    values.put(p.name(), v);
                }
            }
            var b = controller.trigger(job, values, "Started by user");
            redirect(resp, Urls.build(job, b.number()));
        } else if (a.equals("~config")) {
            saveConfig(job, req, resp);
        } else if (a.matches("~[0-9]{1,9}/(stop|replay|restart|input)")) {
            int number = Integer.parseInt(a.substring(1, a.indexOf('/')));
            String what = a.substring(a.indexOf('/') + 1);
            pages.existingBuild(job, number);
            buildAction(job, number, what, req, resp);
        } else {
            throw new NoSuchElementException("there is no form " + r.path());
        }
    }

    private void buildAction(String job, int number, String what, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (what.equals("stop")) {
            controller.stop(job, number);
            redirect(resp, Urls.build(job, number));
            return;
        }
        if (!(controller instanceof BuildControl control)) {
            throw new IllegalStateException("this controller cannot " + what + " builds");
        }
        switch (what) {
            case "replay" -> {
                String script = required(req, "script");
                try {
                    var b = control.replay(job, number, script.replace("\r\n", "\n"));
                    redirect(resp, Urls.build(job, b.number()));
                } catch (Controller.InvalidJobException e) {
                    page(resp, 400, "replay", pages.replay(job, number, script, e.problems()));
                }
            }
            case "restart" -> {
                var b = control.restart(job, number, required(req, "stage"));
                redirect(resp, Urls.build(job, b.number()));
            }
            case "input" -> {
                String id = required(req, "id");
                if ("abort".equals(req.getParameter("action"))) {
                    control.abortInput(job, number, id, null);
                } else {
                    var request = control.inputs(job, number).stream().filter(i -> i.id().equals(id)).findFirst()
                            .orElseThrow(() -> new IllegalStateException("build #" + number + " of " + job + " no longer waits for input '" + id + "'"));
                    Map<String, Object> values = new LinkedHashMap<>();
                    if (request.parameters() != null) {
                        for (Map<String, Object> p : request.parameters()) {
                            String name = String.valueOf(p.get("name"));
                            String v = req.getParameter("param." + name);
                            if ("booleanParam".equals(p.get("type"))) {
                                values.put(name, v != null);
                            } else if (v != null) {
                                values.put(name, v);
                            }
                        }
                    }
                    control.proceedInput(job, number, id, values, null);
                }
                redirect(resp, Urls.build(job, number));
            }
            default -> throw new NoSuchElementException("there is no form " + what);
        }
    }

    private void saveConfig(String job, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        JobRecord j = pages.existingJob(job);
        String script = required(req, "script").replace("\r\n", "\n");
        Long version = req.getParameter("version") == null ? null : longParam(req.getParameter("version"));
        try {
            controller.putJob(new JobDefinition(job, script, j.spec()), version);
            redirect(resp, Urls.job(job) + "/~config?saved");
        } catch (Controller.InvalidJobException e) {
            page(resp, 400, "config", pages.config(job, script, e.problems(), "The script has problems; nothing was saved.", null));
        } catch (StaleVersionException e) {
            page(resp, 409, "config", pages.config(job, script, List.of(), "Someone else changed the job meanwhile (" + e.getMessage()
                    + "). Your text is below; the job now has version " + pages.existingJob(job).version() + ": save again to replace it.", null));
        }
    }

    private void createJob(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = required(req, "name").strip();
        String script = required(req, "script").replace("\r\n", "\n");
        List<Views.Crumb> crumbs = List.of(new Views.Crumb("Dashboard", "/"));
        String why = JobNames.check(name);
        if (why != null) {
            page(resp, 400, "newjob", new Views.NewJobPage(crumbs, name, script, List.of(), why));
            return;
        }
        try {
            controller.putJob(name, script, 0L);
            redirect(resp, Urls.job(name));
        } catch (Controller.InvalidJobException e) {
            page(resp, 400, "newjob", new Views.NewJobPage(crumbs, name, script,
                    e.problems().stream().map(p -> p.line() + ":" + p.column() + ": " + p.message()).toList(), "The script has problems; no job was created."));
        } catch (StaleVersionException e) {
            page(resp, 409, "newjob", new Views.NewJobPage(crumbs, name, script, List.of(), "A job named '" + name + "' exists already."));
        } catch (JobTreeConflictException e) {
            page(resp, 409, "newjob", new Views.NewJobPage(crumbs, name, script, List.of(), e.getMessage()));
        }
    }

    private void createAgent(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (services.agents() == null) {
            throw new IllegalStateException("this controller runs without the agent service");
        }
        String name = required(req, "name").strip();
        List<String> labels = new ArrayList<>();
        String l = req.getParameter("labels");
        if (l != null) {
            for (String s : l.split("[,\\s]+")) {
                if (!s.isEmpty()) {
                    labels.add(s);
                }
            }
        }
        int executors = (int) Math.max(1, Math.min(64, longParam(req.getParameter("executors") == null || req.getParameter("executors").isEmpty() ? "1" : req.getParameter("executors"))));
        try {
            var c = services.agents().create(name, labels, executors);
            String root = req.getScheme() + "://" + req.getServerName() + ":" + req.getServerPort() + "/";
            String command = "gantry agent --url " + root + " --name " + c.name() + " --secret-file " + c.name() + ".secret";
            // Shown once: the page is the POST's answer, never stored by the browser or a proxy.
            page(resp, 201, "agents", pages.agents(new Created(c.name(), c.secret(), command), null));
        } catch (IllegalArgumentException | IllegalStateException e) {
            page(resp, 400, "agents", pages.agents(null, e.getMessage()));
        }
    }

    private void plugin(String rest, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        PluginSystem system = controller.plugins().orElseThrow(() -> new IllegalStateException("this controller runs without a plugin system"));
        try {
            String message;
            if (rest.equals("upload")) {
                Part part;
                try {
                    part = req.getPart("plugin");
                } catch (jakarta.servlet.ServletException e) {
                    throw new IllegalArgumentException("send the plugin jar as a multipart form field 'plugin'");
                }
                if (part == null || part.getSize() == 0) {
                    throw new IllegalArgumentException("choose a plugin jar to upload");
                }
                try (InputStream in = part.getInputStream()) {
                    message = "Installed " + system.install(in).id() + ".";
                }
            } else {
                int slash = rest.indexOf('/');
                if (slash < 0) {
                    throw new NoSuchElementException("there is no form /plugins/" + rest);
                }
                String id = rest.substring(0, slash);
                switch (rest.substring(slash + 1)) {
                    case "enable" -> message = "Enabled " + system.enable(id).id() + ".";
                    case "disable" -> message = "Disabled " + system.disable(id).id() + ".";
                    case "uninstall" -> {
                        system.uninstall(id);
                        message = "Uninstalled " + id + ".";
                    }
                    default -> throw new NoSuchElementException("there is no form /plugins/" + rest);
                }
            }
            page(resp, 200, "plugins", pages.plugins(message, null));
        } catch (IllegalArgumentException | IllegalStateException e) {
            page(resp, e instanceof PluginConflictException ? 409 : 400, "plugins", pages.plugins(null, e.getMessage()));
        }
    }

    // ---- plumbing

    /** The path below the servlet context, decoded once (the raw URI keeps encoded slashes distinct from separators). */
    private static String path(HttpServletRequest req) {
        String uri = req.getRequestURI();
        String context = req.getContextPath();
        String raw = uri.substring(context.length());
        return raw;
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** {@code /job/a/b/~3/log}: the job {@code a/b} and the action {@code ~3/log}. */
    private static Route jobRoute(String rawPath) {
        String rest = rawPath.substring("/job/".length());
        List<String> name = new ArrayList<>();
        String action = null;
        String[] segs = rest.split("/", -1);
        for (int i = 0; i < segs.length; i++) {
            if (segs[i].startsWith("~")) {
                action = String.join("/", java.util.Arrays.copyOfRange(segs, i, segs.length));
                break;
            }
            name.add(decode(segs[i]));
        }
        String job = String.join("/", name);
        checkName(job);
        return new Route(rawPath, job, action);
    }

    private static void checkName(String name) {
        String why = JobNames.check(name);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
    }

    private void page(HttpServletResponse resp, int status, String template, Object model) throws IOException {
        StringOutput out = new StringOutput(8192);
        templates.render(template + ".jte", model, out);
        byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        headers(resp);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("text/html; charset=UTF-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private static void headers(HttpServletResponse resp) {
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Referrer-Policy", "same-origin");
    }

    private static void redirect(HttpServletResponse resp, String location) {
        resp.setStatus(303);
        headers(resp);
        resp.setHeader("Location", location);
    }

    private static void staticFile(String name, HttpServletResponse resp) throws IOException {
        String type = STATIC.get(name);
        InputStream in = type == null ? null : UiServlet.class.getResourceAsStream("static/" + name);
        if (in == null) {
            throw new NoSuchElementException("there is no static file " + name);
        }
        try (in) {
            byte[] body = in.readAllBytes();
            resp.setStatus(200);
            headers(resp);
            resp.setHeader("Cache-Control", "public, max-age=300");
            resp.setContentType(type);
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        }
    }

    private void error(HttpServletResponse resp, RuntimeException e) throws IOException {
        int status;
        if (e instanceof NoSuchElementException) {
            status = 404;
        } else if (e instanceof IllegalArgumentException) {
            status = 400;
        } else if (e instanceof IllegalStateException || e instanceof JobTreeConflictException || e instanceof BuildControl.InputForbiddenException) {
            status = e instanceof BuildControl.InputForbiddenException ? 403 : 409;
        } else {
            System.getLogger(UiServlet.class.getName()).log(System.Logger.Level.WARNING, "web UI request failed", e);
            status = 500;
        }
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        page(resp, status, "error", new Views.ErrorPage(List.of(new Views.Crumb("Dashboard", "/")), status, message));
    }

    private static String required(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        if (v == null) {
            throw new IllegalArgumentException("the form lacks its field '" + name + "'");
        }
        return v;
    }

    private static int intParam(String v, int dflt) {
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Math.max(0, Integer.parseInt(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a whole number");
        }
    }

    private static long longParam(String v) {
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a whole number");
        }
    }
}
