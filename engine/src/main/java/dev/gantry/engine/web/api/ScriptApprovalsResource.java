package dev.gantry.engine.web.api;

import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.Requires;
import dev.gantry.engine.secrets.ScriptApprovals;
import dev.gantry.engine.secrets.SecretsService;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.store.ApprovalRepository;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Script approvals under {@code /api/v1/script-approvals}: the signatures the pipeline sandbox
 * rejected (first job, build and script, how often) and an administrator's decision on each.
 * Public only because Jersey invokes resource methods reflectively.
 */
@Singleton
@Path("api/v1/script-approvals")
@Produces(MediaType.APPLICATION_JSON)
public final class ScriptApprovalsResource {
    private final Controller controller;

    @Inject
    ScriptApprovalsResource(Controller controller) {
        this.controller = controller;
    }

    /** The body of a decision: the signature as listed, and {@code approve}, {@code deny} or {@code pending}. */
    record DecisionBody(String signature, String decision) {
    }

    @GET
    @Requires(Permission.ADMINISTER)
    public Map<String, Object> list(@QueryParam("status") String status) {
        return Map.of("approvals", approvals().list().stream()
                .filter(r -> status == null || r.status().equalsIgnoreCase(status))
                .map(ScriptApprovalsResource::row).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.ADMINISTER)
    public Map<String, Object> decide(DecisionBody body) {
        if (body == null || body.signature() == null || body.signature().isBlank()) {
            throw ApiException.badRequest("invalid_body", "give the signature as listed and a decision: approve, deny or pending");
        }
        ScriptApprovals.Decision d = switch (body.decision() == null ? "" : body.decision().toLowerCase(Locale.ROOT)) {
            case "approve", "approved" -> ScriptApprovals.Decision.APPROVED;
            case "deny", "denied" -> ScriptApprovals.Decision.DENIED;
            case "pending" -> ScriptApprovals.Decision.PENDING;
            default -> throw ApiException.badRequest("invalid_decision", "decision must be approve, deny or pending, not '"
                    + body.decision() + "'");
        };
        try {
            return row(approvals().decide(body.signature(), d));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("not_approvable", e.getMessage());
        }
    }

    @DELETE
    @Requires(Permission.ADMINISTER)
    public Response delete(@QueryParam("signature") String signature) {
        if (signature == null || signature.isBlank()) {
            throw ApiException.badRequest("invalid_signature", "give the signature to forget as ?signature=...");
        }
        if (!approvals().delete(signature)) {
            throw ApiException.notFound("no script approval for '" + signature + "'");
        }
        return Response.noContent().build();
    }

    private ScriptApprovals approvals() {
        return controller.secrets().map(SecretsService::approvals).orElseThrow(() ->
                new ApiException(503, "unavailable", "this controller runs without script approvals"));
    }

    private static Map<String, Object> row(ApprovalRepository.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("signature", r.signature());
        m.put("status", r.status());
        m.put("approvable", r.approvable());
        m.put("firstJob", r.firstJob());
        m.put("firstBuild", r.firstBuild());
        m.put("firstScript", r.firstScript());
        m.put("firstLine", r.firstLine());
        m.put("count", r.hits());
        m.put("firstSeen", r.firstSeen() == null ? null : r.firstSeen().toString());
        m.put("lastSeen", r.lastSeen() == null ? null : r.lastSeen().toString());
        m.put("decided", r.decided() == null ? null : r.decided().toString());
        return m;
    }
}
