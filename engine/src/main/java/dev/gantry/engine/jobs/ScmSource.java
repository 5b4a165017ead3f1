package dev.gantry.engine.jobs;

import java.util.Objects;

/**
 * Where a job's pipeline comes from when it is not inline: a repository, a branch and the path of
 * the pipeline file in it. Only the model for now; fetching it needs an SCM plugin (issue 04).
 *
 * @param url the repository URL, never blank
 * @param branch the branch to build, or null for the repository's default branch
 * @param path the pipeline file in the repository, {@code Jenkinsfile} unless given
 */
public record ScmSource(String url, String branch, String path) {
    /** The pipeline file read when a definition names none, as in Jenkins. */
    public static final String DEFAULT_PATH = "Jenkinsfile";

    public ScmSource {
        Objects.requireNonNull(url, "url");
        path = path == null ? DEFAULT_PATH : path;
    }

    /** For messages: {@code URL (branch B, file P)}. */
    public String describe() {
        return url + " (" + (branch == null ? "default branch" : "branch " + branch) + ", file " + path + ")";
    }
}
