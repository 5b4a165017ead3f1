package dev.gantry.engine.web.ui;

import dev.gantry.api.credentials.CredentialType;
import dev.gantry.engine.secrets.CredentialStore;
import dev.gantry.engine.secrets.CredentialTypes;
import dev.gantry.engine.secrets.ScriptApprovals;
import dev.gantry.engine.secrets.SecretsService;
import dev.gantry.engine.security.Identity;
import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.Role;
import dev.gantry.engine.security.Security;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.store.ApprovalRepository;
import dev.gantry.engine.store.Folder;
import dev.gantry.engine.store.SecurityRepository;
import dev.gantry.engine.web.ui.AdminViews.*;
import dev.gantry.engine.web.ui.Views.Crumb;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The account and administration pages of the web UI: my account and API tokens, users and
 * their roles, credentials, script approvals and the audit log. Each GET computes a page; each
 * form (declared in {@link UiForm}, its permission checked by the servlet before it gets here)
 * calls the same services as the REST API, records the same audit entries, and answers with the
 * page showing the outcome. Thread-safe.
 */
final class AdminUi {
    /** Audit entries on one page. */
    static final int AUDIT_PAGE = 50;
    /** The largest uploaded secret file or keystore accepted by a credential form. */
    static final int MAX_UPLOAD = 1024 * 1024;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final Crumb HOME = new Crumb("Dashboard", "/");

    /** A rendered answer: a template with its model, or a redirect. */
    record Answer(int status, String template, Object model, String redirect) {
        static Answer page(int status, String template, Object model) {
            return new Answer(status, template, model, null);
        }

        static Answer redirect(String location) {
            return new Answer(303, null, null, location);
        }
    }

    private final Security security;
    private final Controller controller;
    private final SecureRandom random = new SecureRandom();

    AdminUi(WebUi.Services services) {
        this.security = services.security();
        this.controller = services.controller();
    }

    /** Whether {@code path} is one of these pages. */
    static boolean handles(String path) {
        return path.equals("/account") || path.equals("/users") || path.startsWith("/users/") || path.equals("/credentials")
                || path.startsWith("/credentials/") || path.equals("/script-approvals") || path.equals("/audit");
    }

    // ---- pages

    /**
     * The page at {@code path} for {@code me}.
     *
     * @throws UiServlet.Forbidden when {@code me} lacks the page's permission
     * @throws NoSuchElementException for an unknown page, user or credential
     */
    Answer get(String path, HttpServletRequest req, Identity me) {
        switch (path) {
            case "/account" -> {
                return Answer.page(200, "account", account(me, null, null));
            }
            case "/users" -> {
                need(me, Permission.ADMINISTER, null);
                return Answer.page(200, "users", users(null, null));
            }
            case "/credentials" -> {
                if (!me.permitsSomewhere(Permission.MANAGE_CREDENTIALS)) {
                    throw forbidden(me, Permission.MANAGE_CREDENTIALS, " globally or on any folder");
                }
                return Answer.page(200, "credentials", credentials(me, null));
            }
            case "/credentials/new" -> {
                String folder = folderParam(req);
                need(me, Permission.MANAGE_CREDENTIALS, folder);
                CredentialType type = CredentialTypes.get(or(req.getParameter("type"), "string"));
                return Answer.page(200, "credential", form(me, type, folder, false, "", "", null, List.of()));
            }
            case "/credentials/edit" -> {
                String folder = folderParam(req);
                need(me, Permission.MANAGE_CREDENTIALS, folder);
                return Answer.page(200, "credential", editForm(me, folder, required(req, "id"), null));
            }
            case "/script-approvals" -> {
                need(me, Permission.ADMINISTER, null);
                return Answer.page(200, "approvals", approvals(null));
            }
            case "/audit" -> {
                need(me, Permission.ADMINISTER, null);
                return Answer.page(200, "audit", audit(req));
            }
            default -> {
                if (path.startsWith("/users/") && path.indexOf('/', "/users/".length()) < 0) {
                    need(me, Permission.ADMINISTER, null);
                    return Answer.page(200, "user", user(decode(path.substring("/users/".length())), null));
                }
                throw new NoSuchElementException("there is no page " + path);
            }
        }
    }

    private AccountPage account(Identity me, Secret created, Notice notice) {
        List<TokenRow> tokens = security.tokens(me.name()).stream().map(t -> new TokenRow(t.id(), t.name(), time(t.created()),
                t.lastUsed() == null ? "never" : time(t.lastUsed()), "/account/tokens/" + Urls.seg(t.id()) + "/revoke")).toList();
        boolean hasPassword = security.user(me.name()).map(u -> u.passwordHash() != null).orElse(false);
        return new AccountPage(List.of(HOME, new Crumb("My account", "/account")), me.name(), roles(security.grants(me.name())), tokens,
                created, notice, me.session() != null, hasPassword);
    }

    private UsersPage users(Secret created, Notice notice) {
        List<UserRow> rows = security.users().stream().map(u -> new UserRow(u.name(), "/users/" + Urls.seg(u.name()),
                roles(security.grants(u.name())), u.disabled(), time(u.created()), u.passwordHash() != null)).toList();
        return new UsersPage(List.of(HOME, new Crumb("Users", "/users")), rows, roleIds(), created, notice);
    }

    private UserPage user(String name, Notice notice) {
        SecurityRepository.UserRecord u = security.user(name).orElseThrow(() -> new NoSuchElementException("there is no user '" + name + "'"));
        List<GrantRow> grants = security.grants(name).stream().map(g -> new GrantRow(g.role(), g.folder(),
                g.folder().isEmpty() ? "globally" : "on folder " + g.folder())).toList();
        String url = "/users/" + Urls.seg(name);
        return new UserPage(List.of(HOME, new Crumb("Users", "/users"), new Crumb(name, url)), name, url, u.disabled(), grants,
                roleIds(), security.tokens(name).size(), time(u.created()), notice);
    }

    private CredentialsPage credentials(Identity me, Notice notice) {
        List<Scope> scopes = new ArrayList<>();
        CredentialStore store = store();
        for (String folder : manageable(me)) {
            List<CredentialRow> rows = store.list(folder).stream().map(i -> new CredentialRow(i.id(), i.type(), typeName(i.type()),
                    i.description(), time(i.updated()), "/credentials/edit?folder=" + Urls.q(folder) + "&id=" + Urls.q(i.id()))).toList();
            if (folder.isEmpty() || !rows.isEmpty()) {
                scopes.add(new Scope(folder, folder.isEmpty() ? "Global" : "Folder " + folder, rows));
            }
        }
        List<TypeLink> types = CredentialTypes.all().stream().map(t -> new TypeLink(t.id(), t.displayName(),
                "/credentials/new?type=" + Urls.q(t.id()))).toList();
        return new CredentialsPage(List.of(HOME, new Crumb("Credentials", "/credentials")), scopes, types, notice);
    }

    /** The scopes {@code me} manages credentials in: global ("") when held globally, then every folder where held. */
    private List<String> manageable(Identity me) {
        List<String> out = new ArrayList<>();
        if (me.permits(Permission.MANAGE_CREDENTIALS)) {
            out.add("");
        }
        List<String> folders = new ArrayList<>();
        collectFolders("", folders);
        for (String f : folders) {
            if (me.permits(Permission.MANAGE_CREDENTIALS, f, true)) {
                out.add(f);
            }
        }
        return out;
    }

    private void collectFolders(String parent, List<String> out) {
        for (Folder f : controller.children(parent).folders()) {
            out.add(f.name());
            collectFolders(f.name(), out);
        }
    }

    private CredentialForm form(Identity me, CredentialType type, String folder, boolean editing, String id, String description,
                                Notice notice, List<Use> uses) {
        return form(me, type, folder, editing, id, description, notice, uses, Map.of());
    }

    /** {@code values}: what the non-secret fields show (a secret field is always empty: write-only). */
    private CredentialForm form(Identity me, CredentialType type, String folder, boolean editing, String id, String description,
                                Notice notice, List<Use> uses, Map<String, String> values) {
        List<Field> fields = new ArrayList<>();
        boolean multipart = false;
        for (CredentialType.Field f : type.fields()) {
            String kind;
            String label = label(f.name());
            String name = f.name();
            if (f.name().equals("contentBase64") || f.name().equals("keystoreBase64")) {
                kind = "file";
                multipart = true;
                label = f.name().equals("contentBase64") ? "File" : "Keystore (PKCS#12 file)";
                name = f.name().equals("contentBase64") ? "upload.content" : "upload.keystore";
            } else if (f.name().equals("privateKey")) {
                kind = "textarea";
            } else {
                kind = f.secret() ? "password" : "text";
            }
            String help = !editing ? f.help() : f.secret() ? "Write-only: leave empty to keep the stored value."
                    : f.help() + " Leave empty to keep it.";
            fields.add(new Field("field." + name, "f-" + f.name(), label, kind, f.required() && !editing
                    && !f.name().equals("fileName"), help, f.secret() ? "" : values.getOrDefault(f.name(), "")));
        }
        List<String> folders = editing ? List.of(folder) : manageable(me);
        String action = editing ? "/credentials/edit" : "/credentials/new";
        String title = editing ? id : "New " + type.displayName().toLowerCase(Locale.ROOT);
        return new CredentialForm(List.of(HOME, new Crumb("Credentials", "/credentials"), new Crumb(title,
                editing ? "/credentials/edit?folder=" + Urls.q(folder) + "&id=" + Urls.q(id) : "/credentials/new?type=" + Urls.q(type.id()))),
                editing, type.id(), type.displayName(), folder, folders, id, description, fields, multipart, action, notice, uses);
    }

    private CredentialForm editForm(Identity me, String folder, String id, Notice notice) {
        CredentialStore.Info info = store().info(folder, id).orElseThrow(() -> new NoSuchElementException("there is no credential '" + id
                + "' " + (folder.isEmpty() ? "in the global scope" : "in folder '" + folder + "'")));
        List<Use> uses = store().uses(null, folder, id, 20).stream().map(u -> new Use(u.job(), Urls.job(u.job()), u.build(),
                Urls.build(u.job(), u.build()), time(u.used()))).toList();
        return form(me, CredentialTypes.get(info.type()), folder, true, id, info.description(), notice, uses,
                store().publicFields(folder, id));
    }

    private ApprovalsPage approvals(Notice notice) {
        List<ApprovalRow> pending = new ArrayList<>();
        List<ApprovalRow> approved = new ArrayList<>();
        List<ApprovalRow> denied = new ArrayList<>();
        boolean available = controller.secrets().isPresent();
        if (available) {
            for (ApprovalRepository.Row r : approvalStore().list()) {
                ApprovalRow row = new ApprovalRow(r.signature(), r.approvable(), r.firstJob(), r.firstJob() == null ? null : Urls.job(r.firstJob()),
                        r.firstBuild(), r.firstJob() == null || r.firstBuild() == null ? null : Urls.build(r.firstJob(), r.firstBuild()),
                        r.firstScript() == null ? null : r.firstScript() + (r.firstLine() == null ? "" : ", line " + r.firstLine()), r.hits(), time(r.firstSeen()), time(r.lastSeen()), time(r.decided()));
                switch (r.status()) {
                    case "APPROVED" -> approved.add(row);
                    case "DENIED" -> denied.add(row);
                    default -> pending.add(row);
                }
            }
        }
        return new ApprovalsPage(List.of(HOME, new Crumb("Script approvals", "/script-approvals")), pending, approved, denied, available, notice);
    }

    private AuditPage audit(HttpServletRequest req) {
        String actor = blankToNull(req.getParameter("actor"));
        String action = blankToNull(req.getParameter("action"));
        int page = pageParam(req.getParameter("page"));
        List<SecurityRepository.AuditRecord> entries = security.audit().entries(actor, action, page * AUDIT_PAGE, AUDIT_PAGE + 1);
        List<AuditRow> rows = entries.stream().limit(AUDIT_PAGE).map(e -> new AuditRow(time(e.at()), e.actor(), e.action(), e.target(),
                e.detail(), e.address())).toList();
        String filter = (actor == null ? "" : "&actor=" + Urls.q(actor)) + (action == null ? "" : "&action=" + Urls.q(action));
        String newer = page == 0 ? null : "/audit?page=" + (page - 1) + filter;
        String older = entries.size() > AUDIT_PAGE ? "/audit?page=" + (page + 1) + filter : null;
        return new AuditPage(List.of(HOME, new Crumb("Audit log", "/audit")), rows, actor == null ? "" : actor, action == null ? "" : action,
                newer, older, page);
    }

    // ---- forms

    /**
     * Handles a form whose permission the servlet checked ({@link UiForm#permission} on its
     * {@link UiForm#target}); account forms act on {@code me} only.
     */
    Answer post(UiForm form, String path, HttpServletRequest req, Identity me) throws IOException {
        return switch (form) {
            case CREATE_TOKEN -> createToken(req, me);
            case REVOKE_TOKEN -> {
                String id = decode(path.substring("/account/tokens/".length(), path.lastIndexOf('/')));
                if (!security.revokeToken(me.name(), id)) {
                    yield Answer.page(404, "account", account(me, null, new Notice(false, "You have no token with id " + id + ".")));
                }
                audit(me, "token.revoke", me.name(), "token " + id);
                yield Answer.page(200, "account", account(me, null, new Notice(true, "Token " + id + " revoked; it no longer works.")));
            }
            case CHANGE_PASSWORD -> changePassword(req, me);
            case END_SESSIONS -> {
                security.endSessions(me.name());
                audit(me, "logout", me.name(), "signed out everywhere");
                yield Answer.redirect("/login");
            }
            case CREATE_USER -> createUser(req, me);
            case GRANT_ROLE, REVOKE_ROLE, DISABLE_USER, ENABLE_USER, DELETE_USER, SET_PASSWORD -> userAction(form, path, req, me);
            case CREATE_CREDENTIAL, UPDATE_CREDENTIAL, DELETE_CREDENTIAL -> credential(form, req, me);
            case DECIDE_APPROVAL, REVOKE_APPROVAL -> approval(form, req, me);
            default -> throw new IllegalStateException("the form " + form + " is not one of the administration pages'");
        };
    }

    private Answer createToken(HttpServletRequest req, Identity me) {
        String name = or(req.getParameter("name"), "").strip();
        try {
            Security.CreatedToken t = security.createToken(me.name(), name);
            audit(me, "token.create", me.name(), "token " + t.id() + " '" + t.name() + "'");
            Secret secret = new Secret("Token", t.name(), t.token(),
                    "Copy the token now: it is shown only this once. Use it as the password of HTTP Basic (" + me.name()
                            + ":TOKEN) or as Authorization: Bearer TOKEN.");
            return Answer.page(201, "account", account(me, secret, null));
        } catch (IllegalArgumentException e) {
            return Answer.page(400, "account", account(me, null, new Notice(false, e.getMessage())));
        }
    }

    private Answer changePassword(HttpServletRequest req, Identity me) {
        String current = or(req.getParameter("current"), "");
        String password = or(req.getParameter("password"), "");
        String confirm = or(req.getParameter("confirm"), "");
        String problem = null;
        if (!security.passwordMatches(me.name(), current)) {
            problem = "The current password is wrong; nothing was changed.";
        } else if (!password.equals(confirm)) {
            problem = "The new password and its confirmation differ; nothing was changed.";
        }
        if (problem == null) {
            try {
                security.setPassword(me.name(), password);
            } catch (IllegalArgumentException e) {
                problem = "The new password is not accepted: " + e.getMessage();
            }
        }
        if (problem != null) {
            return Answer.page(400, "account", account(me, null, new Notice(false, problem)));
        }
        audit(me, "user.password", me.name(), "changed on the account page");
        // Every session of the user ended with the change, this one too: sign in with the new password.
        return me.session() != null ? Answer.redirect("/login?from=%2Faccount")
                : Answer.page(200, "account", account(me, null, new Notice(true, "Password changed; your browser sessions ended.")));
    }

    private Answer createUser(HttpServletRequest req, Identity me) {
        String name = or(req.getParameter("name"), "").strip();
        String password = or(req.getParameter("password"), "");
        String role = or(req.getParameter("role"), "");
        String folder = or(req.getParameter("folder"), "").strip();
        boolean generated = password.isEmpty();
        if (generated) {
            password = randomPassword();
        }
        try {
            Role r = role.isEmpty() ? null : Role.of(role);
            if (r != null && !folder.isEmpty() && controller.folder(folder).isEmpty()) {
                throw new IllegalArgumentException("there is no folder '" + folder + "' to grant the role on");
            }
            security.createUser(name, password);
            if (r != null) {
                security.grant(name, r, folder);
            }
            audit(me, "user.create", name, r == null ? "no roles" : "role " + r.id() + (folder.isEmpty() ? " globally" : " on folder " + folder));
        } catch (IllegalArgumentException e) {
            return Answer.page(400, "users", users(null, new Notice(false, e.getMessage())));
        } catch (IllegalStateException e) {
            return Answer.page(409, "users", users(null, new Notice(false, e.getMessage())));
        }
        Secret secret = generated ? new Secret("Initial password", name, password,
                "Give it to " + name + " over a safe channel: it is shown only this once. They can change it on their account page.") : null;
        return Answer.page(201, "users", users(secret, new Notice(true, "User " + name + " created.")));
    }

    private Answer userAction(UiForm form, String path, HttpServletRequest req, Identity me) {
        String rest = path.substring("/users/".length());
        String name = decode(rest.substring(0, rest.lastIndexOf('/')));
        if (security.user(name).isEmpty()) {
            throw new NoSuchElementException("there is no user '" + name + "'");
        }
        try {
            switch (form) {
                case GRANT_ROLE, REVOKE_ROLE -> {
                    Role role = Role.of(required(req, "role"));
                    String folder = or(req.getParameter("folder"), "").strip();
                    String where = folder.isEmpty() ? " globally" : " on folder " + folder;
                    if (form == UiForm.GRANT_ROLE) {
                        if (!folder.isEmpty() && controller.folder(folder).isEmpty()) {
                            throw new IllegalArgumentException("there is no folder '" + folder + "' to grant the role on");
                        }
                        boolean added = security.grant(name, role, folder);
                        audit(me, "role.grant", name, role.id() + where);
                        return Answer.page(200, "user", user(name, new Notice(true, added ? "Granted " + role.id() + where + "."
                                : name + " had " + role.id() + where + " already.")));
                    }
                    if (!security.revoke(name, role, folder)) {
                        return Answer.page(404, "user", user(name, new Notice(false, name + " has no role " + role.id() + where + ".")));
                    }
                    audit(me, "role.revoke", name, role.id() + where);
                    return Answer.page(200, "user", user(name, new Notice(true, "Revoked " + role.id() + where + ".")));
                }
                case DISABLE_USER, ENABLE_USER -> {
                    boolean disable = form == UiForm.DISABLE_USER;
                    security.setDisabled(name, disable);
                    audit(me, disable ? "user.disable" : "user.enable", name, "");
                    return Answer.page(200, "user", user(name, new Notice(true, disable
                            ? name + " is disabled: their sessions ended and their tokens are refused until enabled again."
                            : name + " is enabled again.")));
                }
                case DELETE_USER -> {
                    security.deleteUser(name);
                    audit(me, "user.delete", name, "");
                    return Answer.page(200, "users", users(null, new Notice(true, "User " + name + " deleted, with their tokens and roles.")));
                }
                case SET_PASSWORD -> {
                    String password = or(req.getParameter("password"), "");
                    boolean generated = password.isEmpty();
                    if (generated) {
                        password = randomPassword();
                    }
                    security.setPassword(name, password);
                    audit(me, "user.password", name, "set by an administrator");
                    Secret secret = generated ? new Secret("New password", name, password,
                            "Give it to " + name + " over a safe channel: it is shown only this once.") : null;
                    return Answer.page(200, "users", users(secret, new Notice(true, "The password of " + name
                            + " was set; their browser sessions ended.")));
                }
                default -> throw new IllegalStateException("not a user form: " + form);
            }
        } catch (IllegalArgumentException e) {
            return Answer.page(400, "user", user(name, new Notice(false, e.getMessage())));
        } catch (IllegalStateException e) {
            return Answer.page(409, "user", user(name, new Notice(false, e.getMessage())));
        }
    }

    private Answer credential(UiForm form, HttpServletRequest req, Identity me) throws IOException {
        String folder = or(field(req, "folder"), "").strip();
        String id = or(field(req, "id"), "").strip();
        CredentialStore store = store();
        String where = folder.isEmpty() ? "" : " in folder " + folder;
        switch (form) {
            case DELETE_CREDENTIAL -> {
                if (!store.delete(folder, id)) {
                    throw new NoSuchElementException("there is no credential '" + id + "'" + where);
                }
                audit(me, "credential.delete", scoped(folder, id), "");
                return Answer.page(200, "credentials", credentials(me, new Notice(true, "Credential " + id + where + " deleted.")));
            }
            case CREATE_CREDENTIAL -> {
                CredentialType type = CredentialTypes.get(field(req, "type"));
                String description = or(field(req, "description"), "");
                try {
                    store.create(folder, id, type.id(), description, fields(req, type));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    return Answer.page(e instanceof IllegalStateException ? 409 : 400, "credential",
                            form(me, type, folder, false, id, description, new Notice(false, e.getMessage()), List.of()));
                }
                audit(me, "credential.create", scoped(folder, id), type.id());
                return Answer.page(201, "credentials", credentials(me, new Notice(true, "Credential " + id + where + " created.")));
            }
            case UPDATE_CREDENTIAL -> {
                CredentialStore.Info info = store.info(folder, id).orElseThrow(() -> new NoSuchElementException("there is no credential '"
                        + id + "'" + where));
                CredentialType type = CredentialTypes.get(info.type());
                String description = or(field(req, "description"), info.description());
                try {
                    store.update(folder, id, null, description, fields(req, type));
                } catch (IllegalArgumentException e) {
                    return Answer.page(400, "credential", editForm(me, folder, id, new Notice(false, e.getMessage())));
                }
                audit(me, "credential.update", scoped(folder, id), "");
                return Answer.page(200, "credential", editForm(me, folder, id, new Notice(true, "Saved.")));
            }
            default -> throw new IllegalStateException("not a credential form: " + form);
        }
    }

    /** The type's fields from the form (uploads base64-encoded); empty ones left out. */
    private static Map<String, String> fields(HttpServletRequest req, CredentialType type) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (CredentialType.Field f : type.fields()) {
            String v;
            if (f.name().equals("contentBase64") || f.name().equals("keystoreBase64")) {
                Part part = part(req, f.name().equals("contentBase64") ? "field.upload.content" : "field.upload.keystore");
                if (part == null || part.getSize() == 0) {
                    v = "";
                } else {
                    if (part.getSize() > MAX_UPLOAD) {
                        throw new IllegalArgumentException("the uploaded file has " + part.getSize() + " bytes; at most " + MAX_UPLOAD + " are accepted");
                    }
                    try (InputStream in = part.getInputStream()) {
                        v = Base64.getEncoder().encodeToString(in.readAllBytes());
                    }
                    if (f.name().equals("contentBase64") && or(field(req, "field.fileName"), "").isBlank() && part.getSubmittedFileName() != null) {
                        out.put("fileName", Path.of(part.getSubmittedFileName()).getFileName().toString());
                    }
                }
            } else {
                v = or(field(req, "field." + f.name()), "");
                if (f.name().equals("privateKey")) {
                    v = v.replace("\r\n", "\n");
                }
            }
            // An empty field is left out: on create a required one is then named as missing, on update the stored value stays.
            if (!v.isEmpty()) {
                out.put(f.name(), v);
            }
        }
        return out;
    }

    private Answer approval(UiForm form, HttpServletRequest req, Identity me) {
        String signature = required(req, "signature");
        ScriptApprovals approvals = approvalStore();
        try {
            if (form == UiForm.REVOKE_APPROVAL) {
                if (!approvals.delete(signature)) {
                    throw new NoSuchElementException("no script approval for '" + signature + "'");
                }
                audit(me, "approval.revoke", signature, "");
                return Answer.page(200, "approvals", approvals(new Notice(true, "Revoked: scripts may no longer call " + signature + ".")));
            }
            String decision = or(req.getParameter("decision"), "");
            ScriptApprovals.Decision d = switch (decision) {
                case "approve" -> ScriptApprovals.Decision.APPROVED;
                case "deny" -> ScriptApprovals.Decision.DENIED;
                default -> throw new IllegalArgumentException("decision must be approve or deny, not '" + decision + "'");
            };
            approvals.decide(signature, d);
            audit(me, d == ScriptApprovals.Decision.APPROVED ? "approval.approve" : "approval.deny", signature, "");
            return Answer.page(200, "approvals", approvals(new Notice(true, (d == ScriptApprovals.Decision.APPROVED ? "Approved: " : "Denied: ")
                    + signature)));
        } catch (IllegalArgumentException e) {
            return Answer.page(400, "approvals", approvals(new Notice(false, e.getMessage())));
        }
    }

    // ---- helpers

    private void audit(Identity me, String action, String target, String detail) {
        security.audit().record(me.name(), action, target, detail + (detail.isEmpty() ? "" : "; ") + "web UI");
    }

    private static String scoped(String folder, String id) {
        return folder.isEmpty() ? id : folder + "/" + id;
    }

    private CredentialStore store() {
        return controller.secrets().map(SecretsService::credentials).orElseThrow(() ->
                new IllegalStateException("this controller runs without a credential store"));
    }

    private ScriptApprovals approvalStore() {
        return controller.secrets().map(SecretsService::approvals).orElseThrow(() ->
                new IllegalStateException("this controller runs without script approvals"));
    }

    private static void need(Identity me, Permission permission, String folder) {
        if (folder == null || folder.isEmpty() ? !me.permits(permission) : !me.permits(permission, folder, true)) {
            throw forbidden(me, permission, folder == null || folder.isEmpty() ? "" : " on folder '" + folder + "'");
        }
    }

    private static UiServlet.Forbidden forbidden(Identity me, Permission permission, String where) {
        return new UiServlet.Forbidden("user '" + me.name() + "' lacks the '" + permission.label() + "' permission" + where
                + "; an administrator can grant a role with it (gantry user grant)");
    }

    private static String folderParam(HttpServletRequest req) {
        String f = or(req.getParameter("folder"), "").strip();
        if (!f.isEmpty() && dev.gantry.engine.server.JobNames.check(f) != null) {
            throw new IllegalArgumentException("invalid folder '" + f + "': " + dev.gantry.engine.server.JobNames.check(f));
        }
        return f;
    }

    private static List<String> roles(List<SecurityRepository.GrantRecord> grants) {
        return grants.stream().map(g -> g.role() + (g.folder().isEmpty() ? " (global)" : " on " + g.folder())).toList();
    }

    private static List<String> roleIds() {
        return Arrays.stream(Role.values()).map(Role::id).toList();
    }

    private static String typeName(String id) {
        try {
            return CredentialTypes.get(id).displayName();
        } catch (IllegalArgumentException e) {
            return id;
        }
    }

    /** {@code privateKey} becomes "Private key". */
    private static String label(String field) {
        String spaced = field.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }

    private String randomPassword() {
        byte[] b = new byte[15];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    private static String or(String v, String dflt) {
        return v == null ? dflt : v;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static int pageParam(String v) {
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Math.min(100_000, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a page number");
        }
    }

    private static String required(HttpServletRequest req, String name) {
        String v = req.getParameter(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("the form lacks its field '" + name + "'");
        }
        return v;
    }

    private static String decode(String segment) {
        return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A form field, urlencoded or from a multipart body (small text parts only). */
    static String field(HttpServletRequest req, String name) throws IOException {
        String v = req.getParameter(name);
        if (v != null) {
            return v;
        }
        Part p = part(req, name);
        if (p == null || p.getSubmittedFileName() != null || p.getSize() > 64 * 1024) {
            return null;
        }
        try (InputStream in = p.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Part part(HttpServletRequest req, String name) throws IOException {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        try {
            return req.getPart(name);
        } catch (ServletException | IllegalStateException e) {
            throw new IllegalArgumentException("the form's multipart body cannot be read: " + e.getMessage());
        }
    }
}
