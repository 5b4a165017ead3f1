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
 * user to close it. Unused ones are removed and mirrors collected now and then: see
 * {@link MirrorHousekeeping}.
 */
final class GitCache {
    private static volatile Path root;
    private static final ConcurrentHashMap<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
    private static volatile MirrorHousekeeping.Policy policy = MirrorHousekeeping.Policy.configured();
    private static final java.util.concurrent.atomic.AtomicBoolean SWEEPING = new java.util.concurrent.atomic.AtomicBoolean();

    private GitCache() {
    }

    /** Where caches go from now on; set by the plugin when it starts. */
    static void root(Path dir) {
        root = dir;
    }

    /** When mirrors are collected and removed from now on; null: the configured policy (see {@link MirrorHousekeeping.Policy#configured}). */
    static void policy(MirrorHousekeeping.Policy p) {
        policy = p == null ? MirrorHousekeeping.Policy.configured() : p;
    }

    static MirrorHousekeeping.Policy policy() {
        return policy;
    }

    /** The folder the caches and mirrors of this node are in. */
    static Path base() {
        return root != null ? root : Path.of(System.getProperty("java.io.tmpdir"), "gantry-git-cache-" + System.getProperty("user.name"));
    }

    /**
     * Removes the mirrors and caches unused for longer than the policy allows, when the last look
     * was long enough ago ({@link MirrorHousekeeping#sweep}); one sweep at a time, the others skip.
     *
     * @param except the key of a cache not to touch, or null
     * @return the directories removed
     */
    static java.util.List<Path> sweepIfDue(String except) {
        return sweepIfDue(except, java.time.Instant.now());
    }

    /** {@link #sweepIfDue(String)} as if it were {@code now}. */
    static java.util.List<Path> sweepIfDue(String except, java.time.Instant now) {
        Path base = base();
        if (!MirrorHousekeeping.sweepDue(base, policy, now) || !SWEEPING.compareAndSet(false, true)) {
            return java.util.List.of();
        }
        try {
            java.util.List<Path> removed = MirrorHousekeeping.sweep(base, policy, now, k -> LOCKS.computeIfAbsent(k, x -> new ReentrantLock()), except);
            if (!removed.isEmpty()) {
                System.getLogger(GitCache.class.getName()).log(System.Logger.Level.INFO, "git: removed " + removed.size()
                        + " mirror(s) unused for " + policy.unusedFor().toDays() + " days: " + removed);
            }
            return removed;
        } catch (IOException | RuntimeException e) {
            System.getLogger(GitCache.class.getName()).log(System.Logger.Level.WARNING, "git: cannot look for unused mirrors in " + base
                    + ": " + e.getMessage());
            return java.util.List.of();
        } finally {
            SWEEPING.set(false);
        }
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
        Path base = base();
        String key = sha256(url) + kind;
        sweepIfDue(key);
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
            MirrorHousekeeping.touch(dir, java.time.Instant.now());
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
