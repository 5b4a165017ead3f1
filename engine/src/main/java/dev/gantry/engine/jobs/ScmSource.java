package dev.gantry.engine.jobs;

import java.util.Objects;

/**
 * Where a job's pipeline comes from when it is not inline: a repository, a branch and the path of
 * the pipeline file in it, and the credential to fetch it with. An SCM plugin (the git plugin)
 * fetches it when a build starts.
 *
 * @param url the repository URL, never blank
 * @param branch the branch to build (or a tag as {@code refs/tags/x}), or null for the repository's default branch
 * @param path the pipeline file in the repository, {@code Jenkinsfile} unless given
 * @param credentialsId the credential to fetch with, or null for none
 */
public record ScmSource(String url, String branch, String path, String credentialsId) {
    /** The pipeline file read when a definition names none, as in Jenkins. */
    public static final String DEFAULT_PATH = "Jenkinsfile";

    public ScmSource {
        Objects.requireNonNull(url, "url");
        path = path == null ? DEFAULT_PATH : path;
    }

    /** A source fetched without credentials. */
    public ScmSource(String url, String branch, String path) {
        this(url, branch, path, null);
    }

    /** For messages: {@code URL (branch B, file P)}. */
    public String describe() {
        return url + " (" + (branch == null ? "default branch" : "branch " + branch) + ", file " + path + ")";
    }
}
