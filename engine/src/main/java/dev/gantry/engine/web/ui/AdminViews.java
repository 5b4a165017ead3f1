package dev.gantry.engine.web.ui;

import dev.gantry.engine.web.ui.Views.Crumb;
import java.util.List;

/**
 * What the account and administration pages show (my account and tokens, users, credentials,
 * script approvals, the audit log), computed before rendering so that the templates only lay
 * them out and every value goes through jte's escaping. Public only because the compiled
 * templates live in another package.
 */
public final class AdminViews {
    private AdminViews() {
    }

    /** A message after a form: {@code ok} shows as a status, otherwise as an alert. */
    public record Notice(boolean ok, String text) {
    }

    /** A secret shown this once (a new token, a generated password): never stored, the page is {@code no-store}. */
    public record Secret(String label, String name, String value, String hint) {
    }

    public record TokenRow(String id, String name, String created, String lastUsed, String revokeUrl) {
    }

    public record AccountPage(List<Crumb> crumbs, String name, List<String> roles, List<TokenRow> tokens, Secret created,
                              Notice notice, boolean session, boolean hasPassword) {
    }

    public record UserRow(String name, String url, List<String> roles, boolean disabled, String created, boolean hasPassword) {
    }

    public record UsersPage(List<Crumb> crumbs, List<UserRow> users, List<String> roles, Secret created, Notice notice) {
    }

    public record GrantRow(String role, String folder, String where) {
    }

    public record UserPage(List<Crumb> crumbs, String name, String url, boolean disabled, List<GrantRow> grants,
                           List<String> roles, int tokens, String created, Notice notice) {
    }

    public record CredentialRow(String id, String type, String typeName, String description, String updated, String editUrl) {
    }

    public record Scope(String folder, String label, List<CredentialRow> credentials) {
    }

    public record TypeLink(String id, String name, String url) {
    }

    public record CredentialsPage(List<Crumb> crumbs, List<Scope> scopes, List<TypeLink> types, Notice notice) {
    }

    /** One field of a credential form; {@code kind} is text, password, textarea or file. */
    public record Field(String name, String id, String label, String kind, boolean required, String help, String value) {
    }

    public record Use(String job, String jobUrl, int build, String buildUrl, String used) {
    }

    /** The form that creates ({@code editing} false) or changes a credential. */
    public record CredentialForm(List<Crumb> crumbs, boolean editing, String type, String typeName, String folder,
                                 List<String> folders, String id, String description, List<Field> fields, boolean multipart,
                                 String action, Notice notice, List<Use> uses) {
    }

    public record ApprovalRow(String signature, boolean approvable, String job, String jobUrl, Integer build, String buildUrl,
                              String script, long hits, String firstSeen, String lastSeen, String decided) {
    }

    public record ApprovalsPage(List<Crumb> crumbs, List<ApprovalRow> pending, List<ApprovalRow> approved, List<ApprovalRow> denied,
                                boolean available, Notice notice) {
    }

    public record AuditRow(String at, String actor, String action, String target, String detail, String address) {
    }

    public record AuditPage(List<Crumb> crumbs, List<AuditRow> entries, String actor, String action, String newerUrl,
                            String olderUrl, int page) {
    }
}
