package dev.gantry.plugins.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.testkit.PluginTestKit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's mirrors over time, with real repositories: an unused one is removed unless a
 * workspace borrows from it or a checkout holds it; a gc keeps every object a borrowing
 * workspace needs (also after a force-push, also for the workspace's own commits) and prunes
 * what nothing needs; workspaces still check out and {@code git log} after it.
 */
class MirrorHousekeepingTest {
    private static final PersonIdent WHO = new PersonIdent("Ada Lovelace", "ada@example.org");

    @TempDir
    Path tmp;

    @AfterEach
    void defaults() {
        GitCache.root(null);
        GitCache.policy(null);
    }

    private static MirrorHousekeeping.Policy policy(int fetchesBetweenGc) {
        return new MirrorHousekeeping.Policy(Duration.ofDays(30), fetchesBetweenGc, Duration.ofDays(1000), Duration.ZERO, Duration.ofHours(24));
    }

    private static PluginTestKit.TestRun checkout(Path ws, Repos repo, String branch) {
        return PluginTestKit.create().workspace(ws).run("node { git url: '" + repo.url() + "', branch: '" + branch + "' }").assertSuccess();
    }

    /** The mirror a workspace borrows from (its bare repository). */
    private static Path mirrorOf(Path ws) throws IOException {
        return Path.of(Files.readString(ws.resolve(".git/objects/info/alternates")).strip()).getParent();
    }

    private static String key(Path mirror) {
        String name = mirror.getFileName().toString();
        return name.substring(0, name.length() - ".git".length());
    }

    /** Runs the git command line in {@code dir}; returns its output, or fails with it. */
    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "git " + args[0] + " did not end");
        assertEquals(0, p.exitValue(), "git " + String.join(" ", args) + " in " + dir + ":\n" + out);
        return out;
    }

    @Test
    void anUnusedMirrorIsRemovedButNotWhileBorrowedInUseOrRecentlyUsed() throws Exception {
        GitCache.root(tmp.resolve("cache"));
        GitCache.policy(policy(1000));
        try (Repos a = Repos.create(tmp.resolve("a")); Repos b = Repos.create(tmp.resolve("b"));
             Repos c = Repos.create(tmp.resolve("c")); Repos d = Repos.create(tmp.resolve("d"))) {
            for (Repos r : List.of(a, b, c, d)) {
                r.commit("first of " + r.dir.getFileName(), Map.of("f.txt", r.dir.getFileName().toString()));
            }
            checkout(tmp.resolve("wsA"), a, "main");
            checkout(tmp.resolve("wsB"), b, "main");
            checkout(tmp.resolve("wsC"), c, "main");
            checkout(tmp.resolve("wsD"), d, "main");
            Path mirrorA = mirrorOf(tmp.resolve("wsA"));
            Path mirrorB = mirrorOf(tmp.resolve("wsB"));
            Path mirrorC = mirrorOf(tmp.resolve("wsC"));
            Path mirrorD = mirrorOf(tmp.resolve("wsD"));
            // Only B's workspace is left; C's mirror is held by a checkout; D's was used lately.
            for (String ws : List.of("wsA", "wsC", "wsD")) {
                FileUtils.delete(tmp.resolve(ws).toFile(), FileUtils.RECURSIVE);
            }
            Instant later = Instant.now().plus(Duration.ofDays(31));
            MirrorHousekeeping.touch(mirrorD, later.minus(Duration.ofDays(29)));
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread checkoutOfC = Thread.ofVirtual().start(() -> {
                try (Git held = GitCache.openMirror(c.url())) {
                    holding.countDown();
                    release.await();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(holding.await(30, TimeUnit.SECONDS));
            List<Path> removed;
            try {
                removed = GitCache.sweepIfDue(null, later);
            } finally {
                release.countDown();
                checkoutOfC.join();
            }
            assertEquals(List.of(mirrorA), removed);
            assertFalse(Files.exists(mirrorA), "unused for 31 days, borrowed by no workspace");
            assertTrue(Files.isDirectory(mirrorB), "wsB still borrows from it");
            assertTrue(Files.isDirectory(mirrorC), "a checkout held it");
            assertTrue(Files.isDirectory(mirrorD), "used 29 days ago");
            assertTrue(git(tmp.resolve("wsB"), "log", "--format=%s").contains("first of b"));

            assertEquals(List.of(), GitCache.sweepIfDue(null, later.plus(Duration.ofHours(1))), "one look a day");
            // Two days later C's checkout is over and D is unused for 31 days too: both go; B stays borrowed.
            MirrorHousekeeping.touch(mirrorC, later.minus(Duration.ofDays(31)));
            assertEquals(java.util.Set.of(key(mirrorC), key(mirrorD)), GitCache.sweepIfDue(null, later.plus(Duration.ofDays(2))).stream()
                    .map(MirrorHousekeepingTest::key).collect(java.util.stream.Collectors.toSet()));
            assertTrue(Files.isDirectory(mirrorB));
            checkout(tmp.resolve("wsA"), a, "main").assertLogContains("git: cloning " + a.url());
            assertTrue(Files.isDirectory(mirrorA), "a new checkout makes the mirror again");
        }
    }

    @Test
    void aGcKeepsWhatBorrowingWorkspacesNeedAndPrunesWhatNothingNeeds() throws Exception {
        GitCache.root(tmp.resolve("cache"));
        GitCache.policy(policy(1000));
        try (Repos up = Repos.create(tmp.resolve("up"))) {
            RevCommit a1 = up.commit("a1", Map.of("a.txt", "1"));
            Path ws1 = tmp.resolve("ws1");
            checkout(ws1, up, "main");
            // A commit of the workspace's own, on top of a1: its parent lives only in the mirror.
            RevCommit own;
            try (Git w = Git.open(ws1.toFile())) {
                w.checkout().setCreateBranch(true).setName("work").call();
                Files.writeString(ws1.resolve("own.txt"), "mine");
                w.add().addFilepattern("own.txt").call();
                own = w.commit().setMessage("own work").setAuthor(WHO).setCommitter(WHO).call();
            }
            // main is force-pushed: a1 is no longer on any branch upstream, nor in the mirror's refs after the next fetch.
            Files.writeString(up.dir.resolve("a.txt"), "2");
            up.git.add().addFilepattern("a.txt").call();
            RevCommit a2 = up.git.commit().setAmend(true).setMessage("a2").setAuthor(WHO).setCommitter(WHO).call();
            // A branch that is rewritten too, with no workspace left on its old commit: z1 is garbage.
            up.branch("temp");
            RevCommit z1 = up.commit("z1", Map.of("z.txt", "1"));
            Path ws3 = tmp.resolve("ws3");
            checkout(ws3, up, "temp");
            Files.writeString(up.dir.resolve("z.txt"), "2");
            up.git.add().addFilepattern("z.txt").call();
            RevCommit z2 = up.git.commit().setAmend(true).setMessage("z2").setAuthor(WHO).setCommitter(WHO).call();
            checkout(ws3, up, "temp");
            up.switchTo("main");
            Path ws2 = tmp.resolve("ws2");
            checkout(ws2, up, "main");

            Path mirror = mirrorOf(ws1);
            assertEquals(mirror, mirrorOf(ws2));
            try (Git m = GitCache.openMirror(up.url())) {
                assertTrue(m.getRepository().getObjectDatabase().has(z1), "z1 is in the mirror before the gc");
                String done = MirrorHousekeeping.gc(m.getRepository(), GitCache.policy(), Instant.now().plusSeconds(5));
                assertTrue(done.contains("gc done") && done.contains("for 3 workspace(s)"), done);
                assertTrue(m.getRepository().getObjectDatabase().has(a1), "a1 is kept: ws1 is on it and its own commit's parent");
                assertTrue(m.getRepository().getObjectDatabase().has(a2));
                assertTrue(m.getRepository().getObjectDatabase().has(z2));
                assertFalse(m.getRepository().getObjectDatabase().has(z1), "z1 is pruned: nothing needs it");
                assertFalse(m.getRepository().getObjectDatabase().has(own), "the workspace's own commit never went into the mirror");
            }
            // Every borrowing workspace still works, with the command-line git too.
            assertEquals("own work\na1\n", git(ws1, "log", "--format=%s", "work"));
            assertEquals("a1\n", git(ws1, "log", "--format=%s", "HEAD~1"));
            git(ws1, "fsck", "--connectivity-only", "--no-dangling", "work", "HEAD");
            assertEquals("z2\na2\n", git(ws3, "log", "--format=%s"));
            try (Git w = Git.open(ws1.toFile())) {
                assertEquals(ObjectId.toString(a1), ObjectId.toString(w.log().add(w.getRepository().resolve("work~1")).call().iterator().next()));
            }
            PluginTestKit.TestRun again = checkout(ws1, up, "main");
            again.assertLogContains("git: checked out " + a2.getName());
            assertEquals("2", Files.readString(ws1.resolve("a.txt")));
            checkout(ws2, up, "main").assertLogContains("git: checked out " + a2.getName());
            assertEquals("a2\n", git(ws2, "log", "--format=%s"));
        }
    }

    @Test
    void aMirrorIsCollectedAfterEveryKFetchesDuringACheckout() throws Exception {
        GitCache.root(tmp.resolve("cache"));
        GitCache.policy(policy(2));
        try (Repos up = Repos.create(tmp.resolve("up"))) {
            up.commit("one", Map.of("a.txt", "1"));
            PluginTestKit.TestRun first = checkout(tmp.resolve("ws"), up, "main");
            assertFalse(first.log().contains("housekeeping"), first.log());
            up.commit("two", Map.of("a.txt", "2"));
            checkout(tmp.resolve("ws"), up, "main")
                    .assertLogContains("git: housekeeping of the mirror ")
                    .assertLogContains(": gc done, 2 commit(s) kept for 1 workspace(s) that borrow from it"); // its HEAD before and the new tip
            assertEquals("two\none\n", git(tmp.resolve("ws"), "log", "--format=%s"));
            up.commit("three", Map.of("a.txt", "3"));
            PluginTestKit.TestRun third = checkout(tmp.resolve("ws"), up, "main");
            assertFalse(third.log().contains("housekeeping"), "the count starts again after a gc: " + third.log());
        }
    }
}
