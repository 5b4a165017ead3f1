package dev.gantry.engine.security;

import dev.gantry.engine.store.SecurityRepository.GrantRecord;
import dev.gantry.engine.store.SecurityRepository.TokenRecord;
import dev.gantry.engine.store.SecurityRepository.UserRecord;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Users, their roles and API tokens, who-am-I and the audit log over REST ({@code /api/v1/users},
 * {@code /api/v1/whoami}, {@code /api/v1/audit}). Users manage their own tokens and password;
 * everything else is for administrators. Public only because Jersey invokes resource methods
 * reflectively.
 */
@Singleton
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class UsersResource {
    private final Security security;

    @Context
    private HttpServletRequest http;

    @Inject
    UsersResource(Security security) {
        this.security = security;
    }

    /** The body of {@code POST /users}. */
    public record NewUser(String name, String password, List<GrantBody> roles) {
    }

    /** A role, globally (no folder) or on a folder. */
    public record GrantBody(String role, String folder) {
    }

    /** The body of {@code PUT /users/{user}/password}. */
    public record PasswordBody(String password, String currentPassword) {
    }

    /** The body of {@code POST /users/{user}/tokens}. */
    public record TokenBody(String name) {
    }

    @GET
    @Path("whoami")
    @SignedIn
    public Map<String, Object> whoami(@Context SecurityContext sc) {
        Identity me = Identity.of(sc);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", me.name());
        m.put("authenticatedBy", me.via().name().toLowerCase(java.util.Locale.ROOT));
        m.put("roles", grants(me.grants()));
        m.put("permissions", me.globalPermissions().stream().map(Permission::label).toList());
        if (me.session() != null) {
            m.put("csrfToken", me.session().csrf());
        }
        return m;
    }

    @GET
    @Path("users")
    @Requires(value = Permission.ADMINISTER, audit = false)
    public Map<String, Object> users() {
        List<Object> out = new ArrayList<>();
        for (UserRecord u : security.users()) {
            out.add(user(u));
        }
        return Map.of("users", out);
    }

    @POST
    @Path("users")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.ADMINISTER, audit = false)
    public Response create(NewUser body, @Context SecurityContext sc) {
        if (body == null || body.name() == null) {
            return AccessFilter.error(400, "missing_name", "POST {\"name\": \"USER\", \"password\": \"...\", \"roles\": [{\"role\": \"developer\"}]}");
        }
        List<GrantBody> roles = body.roles() == null ? List.of() : body.roles();
        try {
            for (GrantBody g : roles) {
                Role.of(g.role());
            }
            security.createUser(body.name(), body.password());
            for (GrantBody g : roles) {
                security.grant(body.name(), Role.of(g.role()), g.folder());
            }
        } catch (IllegalArgumentException e) {
            return AccessFilter.error(400, "invalid_user", e.getMessage());
        } catch (IllegalStateException e) {
            return AccessFilter.error(409, "user_exists", e.getMessage());
        }
        audit(sc, "user.create", body.name(), "roles " + roles);
        return Response.status(201).entity(user(security.user(body.name()).orElseThrow())).build();
    }

    @GET
    @Path("users/{user}")
    @SignedIn
    public Response get(@PathParam("user") String user, @Context SecurityContext sc) {
        Response refused = selfOrAdmin(sc, user);
        if (refused != null) {
            return refused;
        }
        return Response.ok(user(existing(user))).build();
    }

    @DELETE
    @Path("users/{user}")
    @Requires(value = Permission.ADMINISTER, audit = false)
    public Response delete(@PathParam("user") String user, @Context SecurityContext sc) {
        try {
            security.deleteUser(user);
        } catch (IllegalStateException e) {
            return AccessFilter.error(409, "last_admin", e.getMessage());
        }
        audit(sc, "user.delete", user, "");
        return Response.noContent().build();
    }

    @PUT
    @Path("users/{user}/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @SignedIn
    public Response password(@PathParam("user") String user, PasswordBody body, @Context SecurityContext sc) {
        Identity me = Identity.of(sc);
        Response refused = selfOrAdmin(sc, user);
        if (refused != null) {
            return refused;
        }
        existing(user);
        if (body == null || body.password() == null) {
            return AccessFilter.error(400, "missing_password", "PUT {\"password\": \"NEW\", \"currentPassword\": \"OLD\"}");
        }
        if (!me.permits(Permission.ADMINISTER) && (body.currentPassword() == null || !security.passwordMatches(user, body.currentPassword()))) {
            return AccessFilter.error(403, "wrong_password", "changing your own password needs your current one in \"currentPassword\"");
        }
        try {
            security.setPassword(user, body.password());
        } catch (IllegalArgumentException e) {
            return AccessFilter.error(400, "weak_password", e.getMessage());
        }
        audit(sc, "user.password", user, "");
        return Response.noContent().build();
    }

    /** The body of {@code PUT /users/{user}/disabled}. */
    public record DisabledBody(Boolean disabled) {
    }

    @PUT
    @Path("users/{user}/disabled")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.ADMINISTER, audit = false)
    public Response disable(@PathParam("user") String user, DisabledBody body, @Context SecurityContext sc) {
        if (body == null || body.disabled() == null) {
            return AccessFilter.error(400, "missing_disabled", "PUT {\"disabled\": true} (or false to enable the user again)");
        }
        existing(user);
        try {
            security.setDisabled(user, body.disabled());
        } catch (IllegalStateException e) {
            return AccessFilter.error(409, "last_admin", e.getMessage());
        }
        audit(sc, body.disabled() ? "user.disable" : "user.enable", user, "");
        return Response.ok(user(existing(user))).build();
    }

    @POST
    @Path("users/{user}/grants")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.ADMINISTER, audit = false)
    public Response grant(@PathParam("user") String user, GrantBody body, @Context SecurityContext sc) {
        if (body == null || body.role() == null) {
            return AccessFilter.error(400, "missing_role", "POST {\"role\": \"developer\", \"folder\": \"team\"} (no folder: globally)");
        }
        boolean added;
        try {
            added = security.grant(user, Role.of(body.role()), body.folder());
        } catch (IllegalArgumentException e) {
            return AccessFilter.error(400, "invalid_grant", e.getMessage());
        }
        audit(sc, "role.grant", user, body.role() + (body.folder() == null || body.folder().isEmpty() ? " globally" : " on folder " + body.folder()));
        return Response.status(added ? 201 : 200).entity(Map.of("roles", grants(security.grants(user)))).build();
    }

    @DELETE
    @Path("users/{user}/grants/{role}")
    @Requires(value = Permission.ADMINISTER, audit = false)
    public Response revoke(@PathParam("user") String user, @PathParam("role") String role, @QueryParam("folder") String folder,
                           @Context SecurityContext sc) {
        boolean removed;
        try {
            removed = security.revoke(user, Role.of(role), folder);
        } catch (IllegalArgumentException e) {
            return AccessFilter.error(400, "invalid_grant", e.getMessage());
        } catch (IllegalStateException e) {
            return AccessFilter.error(409, "last_admin", e.getMessage());
        }
        if (!removed) {
            throw new NoSuchElementException("user '" + user + "' has no role " + role + (folder == null ? " globally" : " on folder " + folder));
        }
        audit(sc, "role.revoke", user, role + (folder == null || folder.isEmpty() ? " globally" : " on folder " + folder));
        return Response.ok(Map.of("roles", grants(security.grants(user)))).build();
    }

    @GET
    @Path("users/{user}/tokens")
    @SignedIn
    public Response tokens(@PathParam("user") String user, @Context SecurityContext sc) {
        Response refused = selfOrAdmin(sc, user);
        if (refused != null) {
            return refused;
        }
        existing(user);
        List<Object> out = new ArrayList<>();
        for (TokenRecord t : security.tokens(user)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id());
            m.put("name", t.name());
            m.put("created", t.created().toString());
            m.put("lastUsed", t.lastUsed() == null ? null : t.lastUsed().toString());
            out.add(m);
        }
        return Response.ok(Map.of("tokens", out)).build();
    }

    @POST
    @Path("users/{user}/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @SignedIn
    public Response createToken(@PathParam("user") String user, TokenBody body, @Context SecurityContext sc) {
        Response refused = selfOrAdmin(sc, user);
        if (refused != null) {
            return refused;
        }
        Security.CreatedToken t;
        try {
            t = security.createToken(user, body == null ? null : body.name());
        } catch (IllegalArgumentException e) {
            return AccessFilter.error(400, "invalid_token_name", e.getMessage());
        }
        audit(sc, "token.create", user, "token " + t.id() + " '" + t.name() + "'");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("token", t.token());
        m.put("created", t.created().toString());
        return Response.status(201).entity(m).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @Path("users/{user}/tokens/{id}")
    @SignedIn
    public Response revokeToken(@PathParam("user") String user, @PathParam("id") String id, @Context SecurityContext sc) {
        Response refused = selfOrAdmin(sc, user);
        if (refused != null) {
            return refused;
        }
        if (!security.revokeToken(user, id)) {
            throw new NoSuchElementException("user '" + user + "' has no token with id '" + id + "' (see GET /api/v1/users/" + user + "/tokens)");
        }
        audit(sc, "token.revoke", user, "token " + id);
        return Response.noContent().build();
    }

    @GET
    @Path("audit")
    @Requires(Permission.ADMINISTER)
    public Response audit(@QueryParam("actor") String actor, @QueryParam("action") String action,
                          @QueryParam("offset") String offset, @QueryParam("limit") String limit) {
        int from;
        int max;
        try {
            from = offset == null ? 0 : Integer.parseInt(offset);
            max = limit == null ? 100 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            return AccessFilter.error(400, "invalid_query", "offset and limit must be whole numbers");
        }
        if (from < 0 || max < 1 || max > 1000) {
            return AccessFilter.error(400, "invalid_query", "offset must be 0 or more and limit between 1 and 1000");
        }
        List<Object> out = new ArrayList<>();
        for (var e : security.audit().entries(actor, action, from, max)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("at", e.at().toString());
            m.put("actor", e.actor());
            m.put("action", e.action());
            m.put("target", e.target());
            m.put("detail", e.detail());
            m.put("address", e.address());
            out.add(m);
        }
        return Response.ok(Map.of("entries", out, "offset", from, "limit", max)).build();
    }

    private Response selfOrAdmin(SecurityContext sc, String user) {
        Identity me = Identity.of(sc);
        if (me.name().equals(user) || me.permits(Permission.ADMINISTER)) {
            return null;
        }
        return AccessFilter.error(403, "forbidden", "user '" + me.name() + "' may manage only their own account, not '" + user
                + "' (that needs the 'administer' permission)");
    }

    private UserRecord existing(String user) {
        return security.user(user).orElseThrow(() -> new NoSuchElementException("no user '" + user + "' (see GET /api/v1/users)"));
    }

    private Map<String, Object> user(UserRecord u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", u.name());
        m.put("created", u.created() == null ? null : u.created().toString());
        m.put("hasPassword", u.passwordHash() != null);
        m.put("disabled", u.disabled());
        m.put("roles", grants(security.grants(u.name())));
        return m;
    }

    private static List<Object> grants(List<GrantRecord> grants) {
        List<Object> out = new ArrayList<>();
        for (GrantRecord g : grants) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", g.role());
            m.put("folder", g.folder().isEmpty() ? null : g.folder());
            out.add(m);
        }
        return out;
    }

    private void audit(SecurityContext sc, String action, String target, String detail) {
        security.audit().record(Identity.of(sc).name(), action, target, detail, http == null ? "" : http.getRemoteAddr());
    }
}
