package dev.gantry.engine.web.ui;

import dev.gantry.engine.jobs.ParameterDefinition;
import dev.gantry.engine.plugin.PluginConflictException;
import dev.gantry.engine.plugin.PluginSystem;
import dev.gantry.engine.security.Identity;
import dev.gantry.engine.security.LoginResource;
import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.Security;
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
import jakarta.servlet.ServletException;
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
    /**
     * The build page's policy when it shows plugin panels: their sandboxed srcdoc frames inherit
     * the page's policy, and panels are made of inline styles (BuildPanel's contract). Scripts
     * stay forbidden, in the frames too (and their sandbox forbids them again).
     */
    static final String CSP_WITH_PANELS = CSP.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';");
    private static final Map<String, String> STATIC = Map.of("ui.css", "text/css; charset=UTF-8",
            "ui.js", "text/javascript; charset=UTF-8", "favicon.svg", "image/svg+xml");

    private final transient WebUi.Services services;
    private final transient Controller controller;
    private final transient Pages pages;
    private final transient TemplateEngine templates;
    private final transient UiAccess access;
    private final transient AdminUi admin;

    UiServlet(WebUi.Services services) {
        this.services = services;
        this.controller = services.controller();
        this.pages = new Pages(services);
        this.access = new UiAccess(services.security());
        this.admin = new AdminUi(services);
        this.templates = TemplateEngine.createPrecompiled(null, ContentType.Html, UiServlet.class.getClassLoader(),
                "dev.gantry.engine.web.ui.templates");
    }

    /** A request's path below the context, decoded once, and the job route inside it. */
    private record Route(String path, String job, String action) {
    }

    /** The signed-in user lacks a permission (403). */
    static final class Forbidden extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Forbidden(String message) {
            super(message);
        }
    }

    /**
     * The UI's one entry: every request but a static file is authenticated here as the REST API
     * authenticates (Basic, Bearer, session cookie). A reader without credentials goes to the
     * login page and comes back; a change needs a signed-in user, this controller's origin and,
     * with a session cookie, the session's CSRF token. Permissions are checked per page and per
     * form ({@link UiForm}) below.
     */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String path = path(req);
        if (path.startsWith("/static/")) {
            super.service(req, resp);
            return;
        }
        boolean reading = req.getMethod().equals("GET") || req.getMethod().equals("HEAD");
        Identity me;
        try {
            me = access.identify(req);
        } catch (Security.Refused e) {
            if (e.status() == 429) {
                resp.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            } else {
                resp.setHeader("WWW-Authenticate", "Basic realm=\"Gantry\", charset=\"UTF-8\"");
            }
            refuse(req, resp, e.status(), null, e.getMessage());
            return;
        }
        if (!reading) {
            String foreign = UiAccess.foreignOrigin(req);
            if (foreign != null) {
                refuse(req, resp, 403, me, "refused a " + req.getMethod() + " from the foreign origin '" + foreign
                        + "': forms are accepted only from pages of this controller");
                return;
            }
        }
        if (me == null) {
            if (reading) {
                String from = req.getRequestURI() + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
                resp.setStatus(303);
                headers(resp);
                resp.setHeader("Cache-Control", "no-store");
                resp.setHeader("Location", "/login?" + LoginResource.FROM + "=" + Urls.q(from));
            } else {
                refuse(req, resp, 403, null, "sign in first: " + req.getMethod() + " " + path + " needs a signed-in user");
            }
            return;
        }
        if (!reading && !UiAccess.csrfOk(req, me)) {
            refuse(req, resp, 403, me, "the form lacks this session's CSRF token (field " + Security.CSRF_FIELD
                    + "); reload the page and send the form again");
            return;
        }
        req.setAttribute(UiAccess.IDENTITY, me);
        super.service(req, resp);
    }

    private void refuse(HttpServletRequest req, HttpServletResponse resp, int status, Identity me, String message) throws IOException {
        render(resp, status, "error", new Views.ErrorPage(List.of(new Views.Crumb("Dashboard", "/")), status, message),
                me == null ? null : Pages.me(me));
    }

    private static Identity me(HttpServletRequest req) {
        if (req.getAttribute(UiAccess.IDENTITY) instanceof Identity me) {
            return me;
        }
        throw new IllegalStateException("the UI request reached its page without a signed-in user");
    }

    /** Throws {@link Forbidden} unless the user holds {@code permission} on the job or folder ({@code item} null: globally). */
    private static void need(Identity me, Permission permission, String item, boolean folder) {
        if (!me.permits(permission, item, folder)) {
            throw new Forbidden("user '" + me.name() + "' lacks the '" + permission.label() + "' permission"
                    + (item == null ? "" : " on " + (folder ? "folder" : "job") + " '" + item + "'")
                    + "; an administrator can grant a role with it (gantry user grant)");
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            get(req, resp);
        } catch (RuntimeException e) {
            error(req, resp, e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        req.setCharacterEncoding("UTF-8");
        try {
            post(req, resp);
        } catch (RuntimeException e) {
            error(req, resp, e);
        }
    }

    private void get(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = path(req);
        if (path.startsWith("/static/")) {
            staticFile(path.substring("/static/".length()), resp);
            return;
        }
        Identity me = me(req);
        if (path.isEmpty() || path.equals("/")) {
            page(req, resp, 200, "dashboard", pages.dashboard("", me));
        } else if (path.startsWith("/folder/")) {
            List<String> parts = new ArrayList<>();
            for (String seg : path.substring("/folder/".length()).split("/", -1)) {
                parts.add(decode(seg));
            }
            String folder = String.join("/", parts);
            checkName(folder);
            if (!me.permitsWithin(Permission.READ, folder)) {
                need(me, Permission.READ, folder, true);
            }
            page(req, resp, 200, "dashboard", pages.dashboard(folder, me));
        } else if (path.equals("/new")) {
            String folder = req.getParameter("folder");
            if (folder != null && !folder.isEmpty() ? !me.permitsWithin(Permission.CONFIGURE, folder) : !me.permitsSomewhere(Permission.CONFIGURE)) {
                throw new Forbidden("user '" + me.name() + "' lacks the '" + Permission.CONFIGURE.label() + "' permission"
                        + (folder == null || folder.isEmpty() ? " on any folder" : " in folder '" + folder + "'") + ", which creating a job needs");
            }
            page(req, resp, 200, "newjob", new Views.NewJobPage(List.of(new Views.Crumb("Dashboard", "/")),
                    folder == null || folder.isEmpty() ? "" : folder + "/", "", List.of(), null));
        } else if (path.equals("/agents")) {
            need(me, Permission.READ, null, false);
            page(req, resp, 200, "agents", pages.agents(null, null, me));
        } else if (path.equals("/plugins")) {
            need(me, Permission.READ, null, false);
            page(req, resp, 200, "plugins", pages.plugins(null, null, me));
        } else if (path.equals("/system")) {
            need(me, Permission.ADMINISTER, null, false);
            page(req, resp, 200, "system", pages.system());
        } else if (path.startsWith("/job/")) {
            getJob(jobRoute(path), req, resp, me);
        } else if (AdminUi.handles(path)) {
            answer(req, resp, admin.get(path, req, me));
        } else {
            throw new NoSuchElementException("there is no page " + path);
        }
    }

    private void getJob(Route r, HttpServletRequest req, HttpServletResponse resp, Identity me) throws IOException {
        String a = r.action();
        need(me, Permission.READ, r.job(), false);
        if (a == null) {
            page(req, resp, 200, "job", pages.job(r.job(), intParam(req.getParameter("page"), 0), me));
        } else if (a.equals("~config")) {
            page(req, resp, 200, "config", pages.config(r.job(), null, List.of(), null, null, req.getParameter("saved") != null ? "Saved." : null, me));
        } else if (a.equals("~test")) {
            page(req, resp, 200, "testhistory", pages.testHistory(r.job(), req.getParameter("class"), required(req, "name")));
        } else if (a.equals("~build")) {
            page(req, resp, 200, "job", pages.job(r.job(), 0, me));
        } else if (a.matches("~[0-9]{1,9}(/.*)?")) {
            int slash = a.indexOf('/');
            int number = Integer.parseInt(a.substring(1, slash < 0 ? a.length() : slash));
            String sub = slash < 0 ? "" : a.substring(slash + 1);
            switch (sub) {
                case "" -> page(req, resp, 200, "build", pages.build(r.job(), number, me));
                case "live" -> page(req, resp, 200, "live", pages.live(r.job(), number, me));
                case "log" -> page(req, resp, 200, "log", pages.logPage(r.job(), number, longParam(req.getParameter("start"))));
                case "step" -> page(req, resp, 200, "log", pages.stepLog(r.job(), number, required(req, "id")));
                case "replay" -> {
                    need(me, Permission.REPLAY, r.job(), false);
                    page(req, resp, 200, "replay", pages.replay(r.job(), number, null, List.of()));
                }
                default -> throw new NoSuchElementException("there is no page " + r.path());
            }
        } else {
            throw new NoSuchElementException("there is no page " + r.path());
        }
    }

    /** Every form goes through {@link UiForm}: its permission is checked before anything is done. */
    private void post(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = path(req);
        UiForm form = UiForm.of(path);
        if (form == null) {
            throw new NoSuchElementException("there is no form " + path);
        }
        Identity me = me(req);
        Route route = form.target == UiForm.Target.JOB ? jobRoute(path) : null;
        switch (form.target) {
            case GLOBAL -> need(me, form.permission, null, false);
            case JOB -> need(me, form.permission, route.job(), false);
            case NAMED_JOB -> {
                String name = req.getParameter("name");
                need(me, form.permission, name == null ? "" : name.strip(), false);
            }
            case FOLDER_FIELD -> {
                String folder = AdminUi.field(req, "folder");
                folder = folder == null ? "" : folder.strip();
                need(me, form.permission, folder.isEmpty() ? null : folder, true);
            }
            case SELF -> {
                // Any signed-in user: the form acts on their own account only.
            }
        }
        switch (form) {
            case NEW_JOB -> createJob(req, resp);
            case ADD_AGENT -> createAgent(req, resp, me);
            case UPLOAD_PLUGIN, ENABLE_PLUGIN, DISABLE_PLUGIN, UNINSTALL_PLUGIN -> plugin(path.substring("/plugins/".length()), req, resp, me);
            case BUILD -> trigger(route.job(), req, resp);
            case CONFIGURE -> saveConfig(route.job(), req, resp, me);
            case STOP, REPLAY, RESTART, INPUT -> {
                String a = route.action();
                int number = Integer.parseInt(a.substring(1, a.indexOf('/')));
                pages.existingBuild(route.job(), number);
                buildAction(route.job(), number, a.substring(a.indexOf('/') + 1), req, resp, me);
            }
            default -> answer(req, resp, admin.post(form, path, req, me));
        }
    }

    private void trigger(String job, HttpServletRequest req, HttpServletResponse resp) {
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
        var b = controller.trigger(job, values, "Started by user " + me(req).name());
        redirect(resp, Urls.build(job, b.number()));
    }

    private void buildAction(String job, int number, String what, HttpServletRequest req, HttpServletResponse resp, Identity me) throws IOException {
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
                    page(req, resp, 400, "replay", pages.replay(job, number, script, e.problems()));
                }
            }
            case "restart" -> {
                var b = control.restart(job, number, required(req, "stage"));
                redirect(resp, Urls.build(job, b.number()));
            }
            case "input" -> {
                String id = required(req, "id");
                // The answer is the signed-in user's; the input's submitter list is checked against that name.
                if ("abort".equals(req.getParameter("action"))) {
                    need(me, Permission.CANCEL, job, false);
                    control.abortInput(job, number, id, me.name());
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
                    control.proceedInput(job, number, id, values, me.name());
                }
                redirect(resp, Urls.build(job, number));
            }
            default -> throw new NoSuchElementException("there is no form " + what);
        }
    }

    private void saveConfig(String job, HttpServletRequest req, HttpServletResponse resp, Identity me) throws IOException {
        JobRecord j = pages.existingJob(job);
        JobConfigForm form = JobConfigForm.read(req::getParameter);
        Long version = req.getParameter("version") == null ? null : longParam(req.getParameter("version"));
        JobConfigForm.Outcome read = form.definition(job, j.spec());
        if (read.definition() == null) {
            page(req, resp, 400, "config", pages.config(job, form, List.of(), read.problems(),
                    "The configuration has problems (shown at their fields); nothing was saved.", null, me));
            return;
        }
        try {
            controller.putJob(read.definition(), version);
            redirect(resp, Urls.job(job) + "/~config?saved");
        } catch (Controller.InvalidJobException e) {
            page(req, resp, 400, "config", pages.config(job, form, e.problems(), null, "The script has problems; nothing was saved.", null, me));
        } catch (StaleVersionException e) {
            page(req, resp, 409, "config", pages.config(job, form, List.of(), null, "Someone else saved this job while you edited it (you read version "
                    + version + ", it now has version " + pages.existingJob(job).version() + "); nothing was saved. Your changes are below: "
                    + "open the job in another tab to see theirs, then save again to replace it.", null, me));
        }
    }

    private void createJob(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = required(req, "name").strip();
        String script = required(req, "script").replace("\r\n", "\n");
        List<Views.Crumb> crumbs = List.of(new Views.Crumb("Dashboard", "/"));
        String why = JobNames.check(name);
        if (why != null) {
            page(req, resp, 400, "newjob", new Views.NewJobPage(crumbs, name, script, List.of(), why));
            return;
        }
        try {
            controller.putJob(name, script, 0L);
            redirect(resp, Urls.job(name));
        } catch (Controller.InvalidJobException e) {
            page(req, resp, 400, "newjob", new Views.NewJobPage(crumbs, name, script,
                    e.problems().stream().map(p -> p.line() + ":" + p.column() + ": " + p.message()).toList(), "The script has problems; no job was created."));
        } catch (StaleVersionException e) {
            page(req, resp, 409, "newjob", new Views.NewJobPage(crumbs, name, script, List.of(), "A job named '" + name + "' exists already."));
        } catch (JobTreeConflictException e) {
            page(req, resp, 409, "newjob", new Views.NewJobPage(crumbs, name, script, List.of(), e.getMessage()));
        }
    }

    private void createAgent(HttpServletRequest req, HttpServletResponse resp, Identity me) throws IOException {
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
            page(req, resp, 201, "agents", pages.agents(new Created(c.name(), c.secret(), command), null, me));
        } catch (IllegalArgumentException | IllegalStateException e) {
            page(req, resp, 400, "agents", pages.agents(null, e.getMessage(), me));
        }
    }

    private void plugin(String rest, HttpServletRequest req, HttpServletResponse resp, Identity me) throws IOException {
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
            page(req, resp, 200, "plugins", pages.plugins(message, null, me));
        } catch (IllegalArgumentException | IllegalStateException e) {
            page(req, resp, e instanceof PluginConflictException ? 409 : 400, "plugins", pages.plugins(null, e.getMessage(), me));
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

    private void answer(HttpServletRequest req, HttpServletResponse resp, AdminUi.Answer a) throws IOException {
        if (a.redirect() != null) {
            redirect(resp, a.redirect());
        } else {
            page(req, resp, a.status(), a.template(), a.model());
        }
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, int status, String template, Object model) throws IOException {
        render(resp, status, template, model, Pages.me(me(req)));
    }

    /** Renders {@code template} with its {@code page} and the signed-in user {@code me} (null: nobody signed in). */
    private void render(HttpServletResponse resp, int status, String template, Object model, Views.Me me) throws IOException {
        StringOutput out = new StringOutput(8192);
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("page", model);
        params.put("me", me);
        templates.render(template + ".jte", params, out);
        byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        headers(resp);
        if (model instanceof Views.BuildPage b && !b.panels().isEmpty()) {
            resp.setHeader("Content-Security-Policy", CSP_WITH_PANELS);
        }
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

    private void error(HttpServletRequest req, HttpServletResponse resp, RuntimeException e) throws IOException {
        int status;
        if (e instanceof NoSuchElementException) {
            status = 404;
        } else if (e instanceof IllegalArgumentException) {
            status = 400;
        } else if (e instanceof Forbidden || e instanceof BuildControl.InputForbiddenException) {
            status = 403;
        } else if (e instanceof IllegalStateException || e instanceof JobTreeConflictException) {
            status = 409;
        } else {
            System.getLogger(UiServlet.class.getName()).log(System.Logger.Level.WARNING, "web UI request failed", e);
            status = 500;
        }
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        render(resp, status, "error", new Views.ErrorPage(List.of(new Views.Crumb("Dashboard", "/")), status, message),
                req.getAttribute(UiAccess.IDENTITY) instanceof Identity me ? Pages.me(me) : null);
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
