package dev.gantry.plugins.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;

/**
 * Bare repositories per URL, named by the URL's SHA-256, under the plugin's data directory (or the
 * temporary directory when the plugin was not started): the shallow cache the controller fetches
 * into when it needs a repository's content without a workspace (a pipeline file, the heads of a
 * multibranch project), and on every node the full-history mirror that checkouts borrow objects
 * from ({@link #openMirror}). One user of a repository at a time: opening waits for the previous
 * user to close it.
 */
final class GitCache {
    private static volatile Path root;
    private static final ConcurrentHashMap<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private GitCache() {
    }

    /** Where caches go from now on; set by the plugin when it starts. */
    static void root(Path dir) {
        root = dir;
    }

    /**
     * The cache of {@code url}, created when missing, held by the caller until it closes it.
     *
     * @throws IOException when it cannot be created or opened
     */
    static Git open(String url) throws IOException {
        return open(url, "");
    }

    /**
     * The full-history mirror of {@code url} that checkouts on this node fetch into and borrow
     * objects from (a workspace's {@code objects/info/alternates} names it): never shallow, unlike
     * the cache {@link #open(String)} gives, whose fetches are of depth 1.
     *
     * @throws IOException when it cannot be created or opened
     */
    static Git openMirror(String url) throws IOException {
        return open(url, ".mirror");
    }

    private static Git open(String url, String kind) throws IOException {
        Path base = root != null ? root : Path.of(System.getProperty("java.io.tmpdir"), "gantry-git-cache-" + System.getProperty("user.name"));
        String key = sha256(url) + kind;
        Path dir = base.resolve(key + ".git");
        ReentrantLock lock = LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            Files.createDirectories(base);
            Repository repo;
            if (Files.isDirectory(dir.resolve("objects"))) {
                repo = Git.open(dir.toFile()).getRepository();
            } else {
                repo = Git.init().setBare(true).setDirectory(dir.toFile()).call().getRepository();
            }
            return new Git(repo) {
                @Override
                public void close() {
                    try {
                        repo.close();
                    } finally {
                        lock.unlock();
                    }
                }
            };
        } catch (IOException | GitAPIException | RuntimeException e) {
            lock.unlock();
            throw e instanceof IOException io ? io : new IOException("git: cannot open the cache " + dir + " of " + GitSettings.safe(url) + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
