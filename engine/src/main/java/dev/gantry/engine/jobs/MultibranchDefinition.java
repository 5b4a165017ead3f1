package dev.gantry.engine.jobs;

import java.util.Objects;

/**
 * A multibranch project as a definition file declares it ({@code kind: multibranch}): a folder
 * whose jobs are made from the branches and tags of a repository that hold the pipeline file.
 *
 * @param name the project's (folder's) full name
 * @param url the repository, never blank
 * @param credentialsId the credential to read the repository with, or null
 * @param path the pipeline file that makes a branch buildable, {@code Jenkinsfile} unless given
 * @param description may be null
 */
public record MultibranchDefinition(String name, String url, String credentialsId, String path, String description) {
    public MultibranchDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        path = path == null ? ScmSource.DEFAULT_PATH : path;
    }
}
