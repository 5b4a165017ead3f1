package dev.gantry.engine.web.ui;

import dev.gantry.engine.security.Permission;
import java.util.regex.Pattern;

/**
 * Every form the web UI accepts (its POST routes), each with the permission it needs and where
 * that permission must be held. The servlet dispatches POSTs only through this list and checks
 * the permission before acting, so a form cannot exist without a declared permission; tests
 * enumerate it to try every form without the permission.
 */
enum UiForm {
    NEW_JOB("/new", Permission.CONFIGURE, Target.NAMED_JOB),
    BUILD("/job/{job}/~build", Permission.BUILD, Target.JOB),
    CONFIGURE("/job/{job}/~config", Permission.CONFIGURE, Target.JOB),
    STOP("/job/{job}/~{n}/stop", Permission.CANCEL, Target.JOB),
    REPLAY("/job/{job}/~{n}/replay", Permission.REPLAY, Target.JOB),
    RESTART("/job/{job}/~{n}/restart", Permission.REPLAY, Target.JOB),
    /** Approve or abort a pending input; aborting needs {@link Permission#CANCEL} as well, as over REST. */
    INPUT("/job/{job}/~{n}/input", Permission.BUILD, Target.JOB),
    ADD_AGENT("/agents", Permission.MANAGE_AGENTS, Target.GLOBAL),
    UPLOAD_PLUGIN("/plugins/upload", Permission.MANAGE_PLUGINS, Target.GLOBAL),
    ENABLE_PLUGIN("/plugins/{plugin}/enable", Permission.MANAGE_PLUGINS, Target.GLOBAL),
    DISABLE_PLUGIN("/plugins/{plugin}/disable", Permission.MANAGE_PLUGINS, Target.GLOBAL),
    UNINSTALL_PLUGIN("/plugins/{plugin}/uninstall", Permission.MANAGE_PLUGINS, Target.GLOBAL),
    CREATE_TOKEN("/account/tokens", null, Target.SELF),
    REVOKE_TOKEN("/account/tokens/{id}/revoke", null, Target.SELF),
    CHANGE_PASSWORD("/account/password", null, Target.SELF),
    /** Ends every browser session of the signed-in user ("sign out everywhere"). */
    END_SESSIONS("/account/sessions/end", null, Target.SELF),
    CREATE_USER("/users", Permission.ADMINISTER, Target.GLOBAL),
    GRANT_ROLE("/users/{user}/grant", Permission.ADMINISTER, Target.GLOBAL),
    REVOKE_ROLE("/users/{user}/revoke", Permission.ADMINISTER, Target.GLOBAL),
    DISABLE_USER("/users/{user}/disable", Permission.ADMINISTER, Target.GLOBAL),
    ENABLE_USER("/users/{user}/enable", Permission.ADMINISTER, Target.GLOBAL),
    DELETE_USER("/users/{user}/delete", Permission.ADMINISTER, Target.GLOBAL),
    SET_PASSWORD("/users/{user}/password", Permission.ADMINISTER, Target.GLOBAL),
    CREATE_CREDENTIAL("/credentials/new", Permission.MANAGE_CREDENTIALS, Target.FOLDER_FIELD),
    UPDATE_CREDENTIAL("/credentials/edit", Permission.MANAGE_CREDENTIALS, Target.FOLDER_FIELD),
    DELETE_CREDENTIAL("/credentials/delete", Permission.MANAGE_CREDENTIALS, Target.FOLDER_FIELD),
    /** Approve or deny a signature the sandbox rejected. */
    DECIDE_APPROVAL("/script-approvals/decide", Permission.ADMINISTER, Target.GLOBAL),
    /** Forget an approval: the signature is rejected again from the next call on. */
    REVOKE_APPROVAL("/script-approvals/revoke", Permission.ADMINISTER, Target.GLOBAL);

    /** Where the permission is looked up. */
    enum Target {
        /** Only global grants count. */
        GLOBAL,
        /** The job in the path: grants on its folders count too. */
        JOB,
        /** The job the form's {@code name} field names (a job about to be created). */
        NAMED_JOB,
        /** The folder the form's {@code folder} field names; empty: globally. */
        FOLDER_FIELD,
        /** Any signed-in user, acting on their own account only (no permission; {@link #permission} is null). */
        SELF
    }

    /**
     * The path with placeholders: {@code {job}} (a job's full name), {@code {n}} (a build number),
     * {@code {plugin}} (an id), {@code {user}} (a user name), {@code {id}} (a token id).
     */
    final String template;
    /** The permission the form needs; null only for {@link Target#SELF}. */
    final Permission permission;
    final Target target;
    private final Pattern pattern;

    UiForm(String template, Permission permission, Target target) {
        this.template = template;
        this.permission = permission;
        this.target = target;
        // A job's name is its segments up to the first that starts with '~' (an action); raw, still percent-encoded.
        this.pattern = Pattern.compile(Pattern.quote(template)
                .replace("{job}", "\\E[^/~][^/]*(?:/[^/~][^/]*)*\\Q")
                .replace("{n}", "\\E[0-9]{1,9}\\Q")
                .replace("{plugin}", "\\E[^/~][^/]*\\Q")
                .replace("{user}", "\\E[^/~][^/]*\\Q")
                .replace("{id}", "\\E[0-9a-f]{1,32}\\Q"));
    }

    /** The form at {@code rawPath} (below the context, not decoded), or null when there is none. */
    static UiForm of(String rawPath) {
        for (UiForm f : values()) {
            if (f.pattern.matcher(rawPath).matches()) {
                return f;
            }
        }
        return null;
    }
}
