package dev.gantry.engine.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Why a build started, as Jenkins records it: the cause's Jenkins class name (so that pipelines
 * written for Jenkins find what they look for in {@code currentBuild.getBuildCauses()}), its text
 * and the fields of that class. Fields that do not belong to the type are null.
 *
 * @param type the Jenkins class name, e.g. {@code hudson.triggers.TimerTrigger$TimerTriggerCause}
 * @param shortDescription the text shown in the log and the API ("Started by timer")
 * @param userId a user cause's user, or null (anonymous, or not a user cause)
 * @param upstreamProject an upstream cause's job full name
 * @param upstreamBuild an upstream cause's build number
 * @param upstreamUrl an upstream cause's job URL relative to the root, as Jenkins writes it ({@code job/a/job/b/})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildCause(String type, String shortDescription, String userId, String upstreamProject,
                         Integer upstreamBuild, String upstreamUrl) {
    public static final String USER = "hudson.model.Cause$UserIdCause";
    public static final String TIMER = "hudson.triggers.TimerTrigger$TimerTriggerCause";
    public static final String UPSTREAM = "hudson.model.Cause$UpstreamCause";
    /** The {@code build} step's cause: Jenkins' subclass of {@link #UPSTREAM}, found under either name. */
    public static final String BUILD_STEP = "org.jenkinsci.plugins.workflow.support.steps.build.BuildUpstreamCause";

    public BuildCause {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(shortDescription, "shortDescription");
    }

    /** Started by a person or a client of the API; {@code userId} may be null. */
    public static BuildCause user(String userId, String text) {
        return new BuildCause(USER, text, userId, null, null, null);
    }

    /** Started by the job's cron trigger. */
    public static BuildCause timer() {
        return new BuildCause(TIMER, "Started by timer", null, null, null, null);
    }

    /** Started by build {@code number} of {@code job} through an upstream trigger. */
    public static BuildCause upstream(String job, int number) {
        return upstream(UPSTREAM, job, number);
    }

    /** Started by build {@code number} of {@code job} through its {@code build} step. */
    public static BuildCause buildStep(String job, int number) {
        return upstream(BUILD_STEP, job, number);
    }

    private static BuildCause upstream(String type, String job, int number) {
        StringBuilder url = new StringBuilder();
        for (String part : job.split("/")) {
            url.append("job/").append(java.net.URLEncoder.encode(part, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")).append('/');
        }
        return new BuildCause(type, "Started by upstream project \"" + job + "\" build number " + number, null, job, number, url.toString());
    }

    /**
     * The cause a plain text stands for, for callers that only give one ("Started by timer",
     * "Started by user alice"): a timer cause for the timer's text, else a user cause with that text.
     */
    public static BuildCause fromText(String text) {
        String t = text == null ? "Started by user" : text;
        if (t.equals("Started by timer")) {
            return timer();
        }
        String user = t.startsWith("Started by user ") ? t.substring("Started by user ".length()) : null;
        return user(user, t);
    }
}
