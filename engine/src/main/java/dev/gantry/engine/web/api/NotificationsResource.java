package dev.gantry.engine.web.api;

import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.Requires;
import dev.gantry.api.notify.Notifier;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.store.NotificationRule;
import dev.gantry.engine.store.NotificationRuleRepository;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Notification rules of jobs and folders: {@code GET/PUT/DELETE /api/v1/notifications/{name}},
 * where a rule is {@code {"notifier": "webhook", "when": ["failure", "fixed"], "settings": {...}}}.
 * Public only because Jersey invokes resource methods reflectively.
 */
@Singleton
@Path("api/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
public final class NotificationsResource {
    private static final Set<String> RULE_FIELDS = Set.of("notifier", "when", "settings");
    private final Controller controller;

    @Inject
    NotificationsResource(Controller controller) {
        this.controller = controller;
    }

    @GET
    @Path(JobsResource.NAME)
    @Requires(value = Permission.READ, on = Requires.Scope.FOLDER)
    public Map<String, Object> get(@PathParam("name") String name) {
        JobsResource.checkName(name);
        return describe(name);
    }

    @PUT
    @Path(JobsResource.NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(value = Permission.CONFIGURE, on = Requires.Scope.FOLDER)
    public Map<String, Object> put(@PathParam("name") String name, Map<String, Object> body) {
        JobsResource.checkName(name);
        List<NotificationRule> rules = rules(body);
        Set<String> known = knownNotifiers();
        for (NotificationRule r : rules) {
            if (known != null && !known.contains(r.notifier())) {
                throw ApiException.badRequest("unknown_notifier", "no started plugin provides the notifier '" + r.notifier() + "'; "
                        + (known.isEmpty() ? "install the notify plugin (it provides webhook, slack, mail and commitStatus)" : "known: " + String.join(", ", known)));
            }
        }
        try {
            repository().replace(name, rules);
        } catch (NoSuchElementException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_rules", e.getMessage());
        }
        return describe(name);
    }

    @DELETE
    @Path(JobsResource.NAME)
    @Requires(value = Permission.CONFIGURE, on = Requires.Scope.FOLDER)
    public Response delete(@PathParam("name") String name) {
        JobsResource.checkName(name);
        try {
            repository().replace(name, List.of());
        } catch (NoSuchElementException e) {
            throw ApiException.notFound(e.getMessage());
        }
        return Response.noContent().build();
    }

    private Map<String, Object> describe(String name) {
        NotificationRuleRepository repo = repository();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("kind", controller.job(name).isPresent() ? "job" : "folder");
        try {
            List<NotificationRule> own = repo.of(name);
            out.put("rules", own.stream().map(NotificationsResource::json).toList());
            if (controller.job(name).isPresent()) {
                List<NotificationRule> all = repo.effective(name);
                out.put("inherited", all.subList(own.size(), all.size()).stream().map(NotificationsResource::json).toList());
            }
        } catch (NoSuchElementException e) {
            throw ApiException.notFound(e.getMessage());
        }
        return out;
    }

    private static Map<String, Object> json(NotificationRule r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("notifier", r.notifier());
        m.put("when", r.when());
        m.put("settings", r.settings());
        return m;
    }

    private NotificationRuleRepository repository() {
        return controller.notificationRules().orElseThrow(() -> new ApiException(503, "no_notifications", "this controller keeps no notification rules"));
    }

    /** The ids of the started plugins' notifiers, or null when there is no plugin system to ask. */
    private Set<String> knownNotifiers() {
        return controller.plugins().map(p -> {
            Set<String> ids = new TreeSet<>();
            for (Notifier n : p.extensions(Notifier.class)) {
                ids.add(n.id());
            }
            return ids;
        }).orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static List<NotificationRule> rules(Map<String, Object> body) {
        if (body == null || !(body.get("rules") instanceof List<?> list)) {
            throw ApiException.badRequest("invalid_rules", "PUT {\"rules\": [{\"notifier\": \"webhook\", \"when\": [\"failure\"], \"settings\": {\"url\": \"...\"}}]}"
                    + " ({\"rules\": []} removes them)");
        }
        List<NotificationRule> out = new ArrayList<>();
        int position = 0;
        for (Object item : list) {
            position++;
            if (!(item instanceof Map<?, ?> m)) {
                throw ApiException.badRequest("invalid_rules", "rule " + position + " must be an object {\"notifier\", \"when\", \"settings\"}");
            }
            for (Object k : m.keySet()) {
                if (!RULE_FIELDS.contains(String.valueOf(k))) {
                    throw ApiException.badRequest("invalid_rules", "rule " + position + " has an unknown field '" + k + "'; a rule has notifier, when and settings");
                }
            }
            Object notifier = m.get("notifier");
            Object when = m.get("when");
            Object settings = m.get("settings");
            List<String> outcomes = new ArrayList<>();
            if (when instanceof String s) {
                outcomes.add(s);
            } else if (when instanceof List<?> l && l.stream().allMatch(String.class::isInstance)) {
                l.forEach(o -> outcomes.add((String) o));
            } else if (when != null) {
                throw ApiException.badRequest("invalid_rules", "rule " + position + ": when must be a list of outcomes such as [\"failure\", \"fixed\"]");
            }
            if (settings != null && !(settings instanceof Map<?, ?>)) {
                throw ApiException.badRequest("invalid_rules", "rule " + position + ": settings must be an object");
            }
            NotificationRule r = new NotificationRule(notifier instanceof String s ? s : "", outcomes, (Map<String, Object>) settings);
            String problem = r.problem(position);
            if (problem != null) {
                throw ApiException.badRequest("invalid_rules", problem);
            }
            out.add(r);
        }
        return out;
    }
}
