package dev.gantry.plugins.git;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.FileUtils;

/**
 * Keeps a node's git mirrors and caches from growing without end, as an operator expects of a
 * Jenkins node: a mirror (or shallow cache) unused for {@link Policy#unusedFor} is deleted, unless
 * a workspace still borrows its objects or a checkout holds it; a mirror in use is garbage
 * collected (JGit's GC, unreachable loose objects older than {@link Policy#pruneAfter} pruned)
 * every {@link Policy#fetchesBetweenGc} fetches or once per {@link Policy#gcInterval}.
 *
 * <p>Workspaces borrow a mirror's objects through {@code objects/info/alternates}; each one is
 * recorded in the mirror ({@value #BORROWERS}) when a checkout points it there. A gc would drop
 * objects only a workspace still needs (its checked-out commit after the branch was force-pushed,
 * the parents of its own commits), so before collecting, the objects every live borrower
 * references are pinned in the mirror as refs under {@value #KEEP}: they stay reachable and
 * packed. A borrower whose directory is gone, or that no longer borrows from this mirror, is
 * forgotten. Book-keeping lives in {@value #STATE} in the bare repository. Every method expects
 * the caller to hold the mirror's {@link GitCache} lock, except {@link #sweep}, which takes each
 * lock itself and skips a mirror whose lock is held.
 */
final class MirrorHousekeeping {
    static final String STATE = "gantry-housekeeping.properties";
    static final String BORROWERS = "gantry-borrowers";
    static final String KEEP = "refs/gantry-keep/";
    private static final String LAST_SWEEP = ".last-sweep";

    /**
     * When to remove and when to collect.
     *
     * @param unusedFor a mirror or cache unused this long is removed (unless borrowed or in use)
     * @param fetchesBetweenGc a mirror is collected after this many fetches into it
     * @param gcInterval ... or when it was last collected this long ago (and fetched since)
     * @param pruneAfter unreachable loose objects older than this are pruned by the gc
     * @param sweepInterval how often a node looks for unused mirrors
     */
    record Policy(Duration unusedFor, int fetchesBetweenGc, Duration gcInterval, Duration pruneAfter, Duration sweepInterval) {

        /**
         * The policy from the system properties {@code gantry.git.mirrorUnusedDays} (default 30),
         * {@code gantry.git.mirrorGcFetches} (default 50), {@code gantry.git.mirrorGcHours} (24) and
         * {@code gantry.git.mirrorPruneHours} (24), or the environment variables
         * {@code GANTRY_GIT_MIRROR_UNUSED_DAYS}, {@code GANTRY_GIT_MIRROR_GC_FETCHES},
         * {@code GANTRY_GIT_MIRROR_GC_HOURS}, {@code GANTRY_GIT_MIRROR_PRUNE_HOURS}. A value that is not
         * a positive number falls back to the default.
         */
        static Policy configured() {
            return new Policy(Duration.ofDays(number("gantry.git.mirrorUnusedDays", "GANTRY_GIT_MIRROR_UNUSED_DAYS", 30)),
                    (int) number("gantry.git.mirrorGcFetches", "GANTRY_GIT_MIRROR_GC_FETCHES", 50),
                    Duration.ofHours(number("gantry.git.mirrorGcHours", "GANTRY_GIT_MIRROR_GC_HOURS", 24)),
                    Duration.ofHours(number("gantry.git.mirrorPruneHours", "GANTRY_GIT_MIRROR_PRUNE_HOURS", 24)),
                    Duration.ofHours(24));
        }

        private static long number(String property, String env, long fallback) {
            String v = System.getProperty(property, System.getenv(env));
            try {
                long n = v == null ? fallback : Long.parseLong(v.strip());
                return n > 0 ? n : fallback;
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
    }

    private MirrorHousekeeping() {
    }

    // ------------------------------------------------------------------ use

    /** Records that the mirror or cache in {@code gitDir} was used now. */
    static void touch(Path gitDir, Instant now) throws IOException {
        Properties p = read(gitDir);
        p.setProperty("lastUsed", now.toString());
        write(gitDir, p);
    }

    /**
     * After a fetch into {@code mirror} for the workspace repository {@code borrower} (its
     * {@code .git}): records both, and collects the mirror when it is due.
     *
     * @return what the gc did, for the log; null when none was due
     */
    static String afterFetch(Repository mirror, Path borrower, Policy policy, Instant now) throws IOException {
        Path gitDir = mirror.getDirectory().toPath();
        Set<String> borrowers = borrowers(gitDir);
        if (borrowers.add(borrower.toAbsolutePath().normalize().toString())) {
            writeBorrowers(gitDir, borrowers);
        }
        Properties p = read(gitDir);
        int fetches = Integer.parseInt(p.getProperty("fetches", "0")) + 1;
        Instant lastGc = Instant.parse(p.getProperty("lastGc", p.getProperty("created", now.toString())));
        p.setProperty("created", p.getProperty("created", now.toString()));
        p.setProperty("lastUsed", now.toString());
        p.setProperty("fetches", String.valueOf(fetches));
        write(gitDir, p);
        if (fetches < policy.fetchesBetweenGc() && lastGc.plus(policy.gcInterval()).isAfter(now)) {
            return null;
        }
        return gc(mirror, policy, now);
    }

    // ------------------------------------------------------------------ gc

    /**
     * Collects {@code mirror}: pins what its live borrowers reference, then runs JGit's GC, pruning
     * unreachable loose objects older than {@code policy.pruneAfter()}.
     *
     * @return a line for the log
     * @throws IOException when the gc fails; the mirror stays usable (JGit writes the new pack before deleting old ones)
     */
    static String gc(Repository mirror, Policy policy, Instant now) throws IOException {
        Path gitDir = mirror.getDirectory().toPath();
        Set<String> live = liveBorrowers(gitDir);
        writeBorrowers(gitDir, live);
        Set<ObjectId> keep = new HashSet<>();
        for (String b : live) {
            keep.addAll(needed(mirror, Path.of(b)));
        }
        pin(mirror, keep);
        // Superseded packs go as soon as their objects are repacked or pinned: JGit does not keep
        // unreachable objects of old packs loose, so an hour's grace would only delay the saving.
        mirror.getConfig().setString("gc", null, "prunePackExpire", policy.pruneAfter().isZero() ? "now"
                : policy.pruneAfter().toSeconds() + ".seconds.ago");
        try {
            Git.wrap(mirror).gc().setExpire(Date.from(now.minus(policy.pruneAfter()))).call();
        } catch (GitAPIException e) {
            throw new IOException("git: the gc of the mirror " + gitDir + " failed: " + e.getMessage(), e);
        }
        Properties p = read(gitDir);
        p.setProperty("fetches", "0");
        p.setProperty("lastGc", now.toString());
        write(gitDir, p);
        return "git: housekeeping of the mirror " + gitDir.getFileName() + ": gc done, " + keep.size() + " commit(s) kept for "
                + live.size() + " workspace(s) that borrow from it";
    }

    /**
     * The commits of the mirror that the workspace repository {@code borrower} needs: what its
     * refs and {@code HEAD} point to when the mirror has it, else (its own commits) the nearest
     * ancestors the mirror has.
     */
    private static Set<ObjectId> needed(Repository mirror, Path borrower) {
        Set<ObjectId> out = new HashSet<>();
        try (Repository ws = new org.eclipse.jgit.storage.file.FileRepositoryBuilder().setGitDir(borrower.toFile()).setMustExist(true).build();
             RevWalk walk = new RevWalk(ws)) {
            Set<ObjectId> tips = new LinkedHashSet<>();
            Ref head = ws.exactRef(Constants.HEAD);
            if (head != null && head.getObjectId() != null) {
                tips.add(head.getObjectId());
            }
            for (Ref r : ws.getRefDatabase().getRefs()) {
                ObjectId id = r.getPeeledObjectId() != null ? r.getPeeledObjectId() : r.getObjectId();
                if (id != null) {
                    tips.add(id);
                }
            }
            Deque<ObjectId> todo = new ArrayDeque<>(tips);
            Set<ObjectId> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                ObjectId id = todo.pop();
                if (!seen.add(id)) {
                    continue;
                }
                if (mirror.getObjectDatabase().has(id)) {
                    out.add(id.copy());
                    continue;
                }
                RevCommit c;
                try {
                    c = walk.parseCommit(id);
                } catch (IOException | RuntimeException e) {
                    continue; // Not a commit, or missing already: nothing of the mirror to keep for it.
                }
                for (RevCommit parent : c.getParents()) {
                    todo.push(parent);
                }
            }
        } catch (IOException e) {
            // A workspace that cannot be opened any more borrows nothing the gc could break further.
        }
        return out;
    }

    /** Makes exactly {@code keep} the mirror's pinned refs. */
    private static void pin(Repository mirror, Set<ObjectId> keep) throws IOException {
        Set<String> wanted = new HashSet<>();
        for (ObjectId id : keep) {
            wanted.add(KEEP + id.name());
        }
        for (Ref r : mirror.getRefDatabase().getRefsByPrefix(KEEP)) {
            if (!wanted.contains(r.getName())) {
                RefUpdate u = mirror.updateRef(r.getName());
                u.setForceUpdate(true);
                u.delete();
            }
        }
        for (ObjectId id : keep) {
            if (mirror.exactRef(KEEP + id.name()) == null) {
                RefUpdate u = mirror.updateRef(KEEP + id.name());
                u.setNewObjectId(id);
                u.disableRefLog();
                RefUpdate.Result result = u.forceUpdate();
                if (result == RefUpdate.Result.LOCK_FAILURE || result == RefUpdate.Result.IO_FAILURE || result == RefUpdate.Result.REJECTED) {
                    throw new IOException("git: cannot pin " + id.name() + " in " + mirror.getDirectory() + " (" + result
                            + "); the gc is skipped so that no workspace loses objects");
                }
            }
        }
    }

    // ------------------------------------------------------------------ removal

    /**
     * Deletes the mirrors and caches below {@code root} unused for {@code policy.unusedFor()} that
     * no workspace borrows from and no checkout holds ({@code locks} gives each one's lock by key,
     * its directory name without {@code .git}), then records the sweep.
     *
     * @param except the key of a mirror not to touch (the one being opened), or null
     * @return the directories deleted
     */
    static List<Path> sweep(Path root, Policy policy, Instant now, Function<String, ReentrantLock> locks, String except) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return removed;
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, "*.git")) {
            ds.forEach(dirs::add);
        }
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            String key = name.substring(0, name.length() - ".git".length());
            if (key.equals(except) || !Files.isDirectory(dir.resolve("objects"))) {
                continue;
            }
            ReentrantLock lock = locks.apply(key);
            if (!lock.tryLock()) {
                continue; // A checkout is using it.
            }
            try {
                Properties p = read(dir);
                if (p.getProperty("lastUsed") == null) {
                    // Made before this book-keeping: its age counts from now.
                    touch(dir, now);
                    continue;
                }
                if (Instant.parse(p.getProperty("lastUsed")).plus(policy.unusedFor()).isAfter(now)) {
                    continue;
                }
                Set<String> live = liveBorrowers(dir);
                if (!live.isEmpty()) {
                    writeBorrowers(dir, live);
                    continue;
                }
                FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY);
                removed.add(dir);
            } finally {
                lock.unlock();
            }
        }
        Files.writeString(root.resolve(LAST_SWEEP), now.toString());
        return removed;
    }

    /** Whether {@code root} was last swept more than {@code policy.sweepInterval()} before {@code now}. */
    static boolean sweepDue(Path root, Policy policy, Instant now) {
        Path f = root.resolve(LAST_SWEEP);
        try {
            return !Files.isRegularFile(f) || Instant.parse(Files.readString(f).strip()).plus(policy.sweepInterval()).isBefore(now);
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    // ------------------------------------------------------------------ book-keeping

    /** The recorded borrowers that still exist and still name this mirror's objects in their alternates. */
    static Set<String> liveBorrowers(Path gitDir) throws IOException {
        Path objects = gitDir.resolve("objects").toAbsolutePath().normalize();
        Set<String> live = new LinkedHashSet<>();
        for (String b : borrowers(gitDir)) {
            Path alternates = Path.of(b).resolve("objects/info/alternates");
            if (!Files.isRegularFile(alternates)) {
                continue;
            }
            for (String line : Files.readAllLines(alternates, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && Path.of(line.strip()).toAbsolutePath().normalize().equals(objects)) {
                    live.add(b);
                    break;
                }
            }
        }
        return live;
    }

    private static Set<String> borrowers(Path gitDir) throws IOException {
        Path f = gitDir.resolve(BORROWERS);
        Set<String> out = new LinkedHashSet<>();
        if (Files.isRegularFile(f)) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    out.add(line.strip());
                }
            }
        }
        return out;
    }

    private static void writeBorrowers(Path gitDir, Set<String> borrowers) throws IOException {
        Path tmp = Files.createTempFile(gitDir, ".borrowers-", ".tmp");
        Files.write(tmp, borrowers, StandardCharsets.UTF_8);
        Files.move(tmp, gitDir.resolve(BORROWERS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Properties read(Path gitDir) throws IOException {
        Properties p = new Properties();
        Path f = gitDir.resolve(STATE);
        if (Files.isRegularFile(f)) {
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IllegalArgumentException e) {
                // A damaged file: start the book-keeping afresh.
            }
        }
        return p;
    }

    private static void write(Path gitDir, Properties p) throws IOException {
        Path tmp = Files.createTempFile(gitDir, ".housekeeping-", ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "git mirror book-keeping of the Gantry git plugin");
        }
        Files.move(tmp, gitDir.resolve(STATE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
