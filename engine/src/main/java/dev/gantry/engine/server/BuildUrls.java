package dev.gantry.engine.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Absolute URLs of builds: their REST resource under the controller's address. */
public final class BuildUrls {
    private BuildUrls() {
    }

    /**
     * {@code <root>api/v1/jobs/<job>/builds/<number>}, each part of the job's name encoded.
     *
     * @param root the controller's address ending in {@code /}, or null
     * @return the URL, or null when {@code root} is null
     */
    public static String build(String root, String job, int number) {
        if (root == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(root).append("api/v1/jobs");
        for (String part : job.split("/")) {
            b.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return b.append("/builds/").append(number).toString();
    }
}
