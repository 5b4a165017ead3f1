package dev.gantry.engine.web.ui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The UI's and the API's URLs for jobs and builds: each part of a name percent-encoded, so a URL
 * built here is always a relative path of this server (never {@code javascript:} or another host).
 */
final class Urls {
    private Urls() {
    }

    /** One path segment, percent-encoded (spaces as {@code %20}). */
    public static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query value, percent-encoded. */
    public static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String parts(String name) {
        StringBuilder b = new StringBuilder();
        for (String p : name.split("/")) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(seg(p));
        }
        return b.toString();
    }

    public static String job(String name) {
        return "/job/" + parts(name);
    }

    public static String folder(String name) {
        return name.isEmpty() ? "/" : "/folder/" + parts(name);
    }

    public static String build(String job, int number) {
        return job(job) + "/~" + number;
    }

    /** The REST API's URL of the build ({@code /api/v1/jobs/NAME/builds/N}). */
    public static String apiBuild(String job, int number) {
        return "/api/v1/jobs/" + parts(job) + "/builds/" + number;
    }

    public static String artifact(String job, int number, String path) {
        return apiBuild(job, number) + "/artifacts/" + parts(path);
    }
}
