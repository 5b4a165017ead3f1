package dev.gantry.plugins.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/** Repositories made with JGit for tests: a working repository with commits, branches and tags. */
final class Repos implements AutoCloseable {
    final Git git;
    final Path dir;

    private Repos(Git git, Path dir) {
        this.git = git;
        this.dir = dir;
    }

    /** A new non-bare repository at {@code dir} with branch {@code main}. */
    static Repos create(Path dir) throws GitAPIException {
        return new Repos(Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call(), dir);
    }

    /** Writes the files (path to text) and commits them with the message; returns the commit. */
    RevCommit commit(String message, Map<String, String> files) throws IOException, GitAPIException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
            git.add().addFilepattern(f.getKey()).call();
        }
        PersonIdent who = new PersonIdent("Ada Lovelace", "ada@example.org");
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).call();
    }

    void branch(String name) throws GitAPIException {
        git.checkout().setCreateBranch(true).setName(name).call();
    }

    void switchTo(String name) throws GitAPIException {
        git.checkout().setName(name).call();
    }

    void tag(String name, boolean annotated) throws GitAPIException {
        git.tag().setName(name).setAnnotated(annotated).setMessage(annotated ? "release " + name : null).call();
    }

    String url() {
        return "file://" + dir.toAbsolutePath();
    }

    @Override
    public void close() {
        git.close();
    }
}
