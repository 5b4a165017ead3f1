package dev.gantry.engine.web.api;

import dev.gantry.api.report.BuildReport;
import dev.gantry.engine.security.Permission;
import dev.gantry.engine.security.Requires;
import dev.gantry.engine.server.Controller;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reports plugins attached to a build ({@code dev.gantry.api.report.BuildReports}):
 * {@code GET /jobs/{name}/builds/{n}/reports} lists them with their summaries,
 * {@code .../reports/{kind}/{report}} gives one with its data. Public only because Jersey invokes
 * resource methods reflectively.
 */
@Singleton
@Path("api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class ReportsResource {
    private static final String BUILD = "jobs/" + JobsResource.NAME + "/builds/" + JobsResource.NUMBER;
    private final Controller controller;

    @Inject
    ReportsResource(Controller controller) {
        this.controller = controller;
    }

    @GET
    @Path(BUILD + "/reports")
    @Requires(value = Permission.READ, on = Requires.Scope.JOB)
    public Map<String, Object> list(@PathParam("name") String name, @PathParam("number") int number) {
        existingBuild(name, number);
        return Map.of("reports", summaries(controller.reports(name, number)));
    }

    @GET
    @Path(BUILD + "/reports/{kind}/{report}")
    @Requires(value = Permission.READ, on = Requires.Scope.JOB)
    public Map<String, Object> get(@PathParam("name") String name, @PathParam("number") int number,
                                   @PathParam("kind") String kind, @PathParam("report") String report) {
        existingBuild(name, number);
        for (BuildReport r : controller.reports(name, number)) {
            if (r.kind().equals(kind) && r.name().equals(report)) {
                Map<String, Object> m = summary(r);
                m.put("data", r.data());
                return m;
            }
        }
        throw ApiException.notFound("build #" + number + " of job '" + name + "' has no report of kind '" + kind + "' named '" + report
                + "'; GET .../builds/" + number + "/reports lists its reports");
    }

    /** The build detail's {@code reports}: kind, name and summary of each, in the order attached. */
    static List<Map<String, Object>> summaries(List<BuildReport> reports) {
        List<Map<String, Object>> out = new ArrayList<>();
        reports.forEach(r -> out.add(summary(r)));
        return out;
    }

    private static Map<String, Object> summary(BuildReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind());
        m.put("name", r.name());
        m.put("summary", r.summary());
        return m;
    }

    private void existingBuild(String name, int number) {
        LogsResource.existingBuild(controller, name, number);
    }
}
