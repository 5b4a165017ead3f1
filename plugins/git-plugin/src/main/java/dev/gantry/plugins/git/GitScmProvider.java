package dev.gantry.plugins.git;

import dev.gantry.api.credentials.Credential;
import dev.gantry.api.credentials.CredentialLookup;
import dev.gantry.api.scm.ChangeSetEntry;
import dev.gantry.api.scm.PushEvent;
import dev.gantry.api.scm.ScmProvider;
import dev.gantry.api.scm.ScmRevision;
import dev.gantry.api.scm.ScmSource;
import dev.gantry.api.scm.WebhookRequest;
import dev.gantry.api.step.Console;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.workspace.Workspace;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.util.FileUtils;
import org.pf4j.Extension;

/**
 * The {@code git} SCM provider, on JGit: checks sources out into workspaces (a clone or a fetch,
 * of a branch, a tag or a commit, shallow when asked), lists the commits between two revisions,
 * polls remotes with {@code ls-remote}, reads a file of a branch for the controller (jobs whose
 * pipeline lives in the repository) and lists the branches and tags that hold a pipeline
 * (multibranch), through a bare cache repository per URL. Stateless: one instance serves every build.
 */
@Extension
public class GitScmProvider implements ScmProvider {
    /** At most this many commits make one build's changelog (a first fetch of a long history would list them all). */
    static final int MAX_CHANGES = 1000;

    @Override
    public String type() {
        return GitSettings.TYPE;
    }

    @Override
    public ScmRevision checkout(StepContext context, ScmSource source, ScmRevision previous) throws IOException, InterruptedException {
        return withPluginLoader(() -> doCheckout(context, source, previous));
    }

    private ScmRevision doCheckout(StepContext context, ScmSource source, ScmRevision previous) throws IOException {
        GitSettings s = settings(source);
        Credential c;
        try {
            c = GitAuth.resolve(s, context.service(CredentialLookup.class).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new IOException("git: " + e.getMessage(), e);
        }
        Path dir = localDirectory(context.workspace());
        return checkoutHere(dir, null, s, c, null, previous == null ? null : previous.id(), false, context.console()).revision();
    }

    /** What a checkout on a node brought: the revision, and the commits since the previous one (newest first). */
    record Outcome(ScmRevision revision, List<ChangeSetEntry> changes) {
    }

    /**
     * Checks {@code s} out into {@code dir}, a directory of this machine: clones or fetches, and
     * leaves a detached {@code HEAD} at the commit. A full-history checkout fetches into this
     * node's mirror of the repository ({@link GitCache#openMirror}) and borrows its objects
     * (the workspace's {@code objects/info/alternates}), so that every workspace of a node
     * shares one copy of the history and a second job fetches nothing twice; a shallow one
     * ({@code depth}) fetches straight into the workspace.
     *
     * @param scratch where SSH key material goes for the operation (deleted afterwards), or null for
     *     the plugin's {@code ssh/} directory (see {@link GitAuth#scratchRoot})
     * @param c the credential to authenticate with, or null
     * @param previous the commit the build before checked out, for the change log; or null
     * @param previousSuccessful the commit of the last successful build, or null
     * @throws IOException with a message for the user when it cannot be checked out
     */
    static Outcome checkoutHere(Path dir, Path scratch, GitSettings s, Credential c, String previous, String previousSuccessful,
                                boolean changelog, Console console) throws IOException {
        try (GitAuth auth = GitAuth.of(s, c, scratch)) {
            Target target = resolveRemote(s, auth);
            boolean existing = Files.isDirectory(dir.resolve(".git"));
            if (existing && brokenAlternates(dir)) {
                console.println("git: the mirror the clone in " + dir + " borrowed objects from is gone; cloning again");
                FileUtils.delete(dir.resolve(".git").toFile(), FileUtils.RECURSIVE);
                existing = false;
            }
            console.println("git: " + (existing ? "fetching " : "cloning ") + s.safeUrl()
                    + " (" + target.describe() + (s.depth() > 0 ? ", depth " + s.depth() : "") + ") into " + dir);
            ObjectId commit;
            if (s.depth() == 0) {
                // Alternates are read when a repository is opened: the workspace's are set with it closed.
                open(dir, s.url()).close();
                commit = fetchThroughMirror(dir, s, auth, target, console);
            } else {
                try (Git git = open(dir, s.url())) {
                    fetch(git, s, auth, target);
                    commit = target.commit != null ? target.commit : git.getRepository().resolve(target.localRef());
                }
            }
            try (Git git = open(dir, s.url())) {
                if (commit == null) {
                    throw new IOException("git: " + target.describe() + " was not found in " + s.safeUrl() + " after fetching it");
                }
                try (RevWalk walk = new RevWalk(git.getRepository())) {
                    commit = walk.parseCommit(commit);
                }
                git.checkout().setName(commit.getName()).setForced(true).call();
                console.println("git: checked out " + commit.getName() + " (" + target.describe() + ")");
                ScmRevision revision = revision(s, target, commit.getName(), previousSuccessful == null ? null
                        : new ScmRevision(previousSuccessful, null, null, Map.of()));
                List<ChangeSetEntry> changes = List.of();
                if (changelog && previous != null && !previous.equals(commit.getName()) && ObjectId.isId(previous)) {
                    changes = changes(git.getRepository(), ObjectId.fromString(previous), commit);
                }
                return new Outcome(revision, changes);
            }
        } catch (GitAPIException e) {
            throw new IOException("git: cannot check out " + s.safeUrl() + ": " + message(e), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("git: " + e.getMessage(), e);
        }
    }

    /**
     * Fetches {@code t} into this node's mirror of the repository, then points the workspace's
     * refs at it: the workspace borrows the mirror's objects, so nothing is copied.
     *
     * @return the commit to check out
     */
    private static ObjectId fetchThroughMirror(Path dir, GitSettings s, GitAuth auth, Target t, Console console) throws IOException, GitAPIException {
        try (Git mirror = GitCache.openMirror(s.url())) {
            fetch(mirror, s, auth, t);
            Path objects = mirror.getRepository().getDirectory().toPath().resolve("objects").toAbsolutePath();
            Path alternates = dir.resolve(".git").resolve("objects").resolve("info").resolve("alternates");
            String line = objects + "\n";
            if (!Files.isRegularFile(alternates) || !Files.readString(alternates).equals(line)) {
                Files.createDirectories(alternates.getParent());
                Files.writeString(alternates, line);
            }
            Repository m = mirror.getRepository();
            List<String> names = new ArrayList<>();
            if (t.branch != null) {
                names.add(Constants.R_REMOTES + "origin/" + t.branch);
            } else if (t.tag != null) {
                names.add(Constants.R_TAGS + t.tag);
            } else {
                m.getRefDatabase().getRefsByPrefix(Constants.R_REMOTES + "origin/").forEach(r -> names.add(r.getName()));
            }
            try (Git git = Git.open(dir.toFile())) {
                Repository ws = git.getRepository();
                for (String name : names) {
                    Ref r = m.exactRef(name);
                    if (r == null) {
                        continue;
                    }
                    RefUpdate u = ws.updateRef(name);
                    u.setNewObjectId(r.getObjectId());
                    u.disableRefLog();
                    RefUpdate.Result result = u.forceUpdate();
                    if (result == RefUpdate.Result.LOCK_FAILURE || result == RefUpdate.Result.IO_FAILURE || result == RefUpdate.Result.REJECTED) {
                        throw new IOException("git: cannot update " + name + " in " + ws.getDirectory() + ": " + result);
                    }
                }
                ObjectId commit = t.commit != null ? t.commit : ws.resolve(t.localRef());
                housekeeping(m, dir, console);
                return commit;
            }
        }
    }

    /** Records the workspace as the mirror's borrower and collects the mirror when due; a failure is only reported. */
    private static void housekeeping(Repository mirror, Path dir, Console console) {
        try {
            String done = MirrorHousekeeping.afterFetch(mirror, dir.resolve(".git"), GitCache.policy(), java.time.Instant.now());
            if (done != null) {
                console.println(done);
            }
        } catch (IOException | RuntimeException e) {
            console.println("git: housekeeping of the mirror " + mirror.getDirectory() + " failed (the checkout goes on): " + e.getMessage());
        }
    }

    /** Whether the clone in {@code dir} borrows objects from a directory that no longer exists. */
    private static boolean brokenAlternates(Path dir) throws IOException {
        Path alternates = dir.resolve(".git/objects/info/alternates");
        if (!Files.isRegularFile(alternates)) {
            return false;
        }
        for (String line : Files.readAllLines(alternates)) {
            if (!line.isBlank() && !Files.isDirectory(Path.of(line.strip()))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<ChangeSetEntry> changelog(StepContext context, ScmSource source, ScmRevision from, ScmRevision to) throws IOException {
        if (from == null || to == null || from.id().equals(to.id())) {
            return List.of();
        }
        Path dir = localDirectory(context.workspace());
        try (Repository repo = Git.open(dir.toFile()).getRepository()) {
            return changes(repo, ObjectId.fromString(from.id()), ObjectId.fromString(to.id()));
        }
    }

    /** The commits reachable from {@code to} and not from {@code from}, newest first, with the paths each touched. */
    static List<ChangeSetEntry> changes(Repository repo, ObjectId from, ObjectId to) throws IOException {
        List<ChangeSetEntry> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
            walk.markStart(walk.parseCommit(to));
            try {
                walk.markUninteresting(walk.parseCommit(from));
            } catch (MissingObjectException e) {
                // The previous revision is not in this clone (history rewritten, or beyond a shallow
                // clone's depth): every commit fetched counts, up to the limit.
            }
            for (RevCommit c : walk) {
                if (out.size() >= MAX_CHANGES) {
                    break;
                }
                out.add(new ChangeSetEntry(c.getName(), c.getAuthorIdent().getName(), c.getAuthorIdent().getEmailAddress(),
                        Instant.ofEpochSecond(c.getCommitTime()), c.getFullMessage(), paths(repo, reader, walk, c)));
            }
        }
        return out;
    }

    private static List<String> paths(Repository repo, ObjectReader reader, RevWalk walk, RevCommit c) throws IOException {
        TreeSet<String> paths = new TreeSet<>();
        try (TreeWalk tw = new TreeWalk(repo, reader)) {
            tw.setRecursive(true);
            if (c.getParentCount() > 0) {
                RevCommit parent = c.getParent(0);
                try {
                    walk.parseHeaders(parent);
                    CanonicalTreeParser p = new CanonicalTreeParser();
                    p.reset(reader, parent.getTree());
                    tw.addTree(p);
                } catch (MissingObjectException e) {
                    tw.addTree(new EmptyTreeIterator()); // the parent is beyond a shallow clone
                }
            } else {
                tw.addTree(new EmptyTreeIterator());
            }
            tw.addTree(c.getTree());
            for (DiffEntry d : DiffEntry.scan(tw)) {
                if (d.getChangeType() != DiffEntry.ChangeType.DELETE) {
                    paths.add(d.getNewPath());
                }
                if (d.getChangeType() == DiffEntry.ChangeType.DELETE || d.getChangeType() == DiffEntry.ChangeType.RENAME) {
                    paths.add(d.getOldPath());
                }
            }
        }
        return List.copyOf(paths);
    }

    @Override
    public Optional<ScmRevision> poll(ScmSource source, ScmRevision last) throws IOException, InterruptedException {
        return poll(source, last, null);
    }

    @Override
    public Optional<ScmRevision> poll(ScmSource source, ScmRevision last, CredentialLookup credentials) throws IOException {
        return withPluginLoader(() -> doPoll(source, last, credentials));
    }

    private Optional<ScmRevision> doPoll(ScmSource source, ScmRevision last, CredentialLookup credentials) throws IOException {
        GitSettings s = settings(source);
        try (GitAuth auth = GitAuth.of(s, credentials)) {
            Target t = resolveRemote(s, auth);
            String id = t.commit == null ? null : t.commit.getName();
            if (id == null) {
                throw new IOException("git: " + t.describe() + " of " + s.safeUrl() + " cannot be polled: it is not a branch or tag of the remote");
            }
            return last != null && last.id().equals(id) ? Optional.empty() : Optional.of(revision(s, t, id, null));
        } catch (IllegalArgumentException e) {
            throw new IOException("git: " + e.getMessage(), e);
        }
    }

    @Override
    public FileAtRevision readFile(ScmSource source, String path, CredentialLookup credentials) throws IOException {
        return withPluginLoader(() -> doReadFile(source, path, credentials));
    }

    private FileAtRevision doReadFile(ScmSource source, String path, CredentialLookup credentials) throws IOException {
        GitSettings s = settings(source);
        try (GitAuth auth = GitAuth.of(s, credentials); Git cache = GitCache.open(s.url())) {
            Target t = resolveRemote(s, auth);
            fetch(cache, s.depth() > 0 ? s : withDepth(s, 1), auth, t);
            ObjectId commit = t.commit != null ? t.commit : cache.getRepository().resolve(t.localRef());
            String text = read(cache.getRepository(), commit, path);
            if (text == null) {
                throw new NoSuchFileException(path, null, "there is no " + path + " in " + t.describe() + " of " + s.safeUrl()
                        + " (commit " + commit.getName() + ")");
            }
            return new FileAtRevision(text, revision(s, t, commit.getName(), null));
        } catch (GitAPIException e) {
            throw new IOException("git: cannot fetch " + s.safeUrl() + ": " + message(e), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("git: " + e.getMessage(), e);
        }
    }

    @Override
    public List<ScmRevision> heads(ScmSource source, String path, CredentialLookup credentials) throws IOException {
        return withPluginLoader(() -> doHeads(source, path, credentials));
    }

    private List<ScmRevision> doHeads(ScmSource source, String path, CredentialLookup credentials) throws IOException {
        GitSettings s = settings(source);
        try (GitAuth auth = GitAuth.of(s, credentials); Git cache = GitCache.open(s.url())) {
            Collection<Ref> refs = auth.apply(Git.lsRemoteRepository().setRemote(s.url()).setHeads(true).setTags(true)).call();
            List<RefSpec> specs = new ArrayList<>();
            for (Ref r : refs) {
                if (!r.getName().endsWith("^{}")) {
                    specs.add(new RefSpec("+" + r.getName() + ":" + r.getName()));
                }
            }
            if (!specs.isEmpty()) {
                auth.apply(cache.fetch().setRemote(s.url()).setRefSpecs(specs).setDepth(1).setTagOpt(TagOpt.NO_TAGS)
                        .setRemoveDeletedRefs(true)).call();
            }
            List<ScmRevision> out = new ArrayList<>();
            Repository repo = cache.getRepository();
            for (Ref r : refs) {
                String name = r.getName();
                boolean branch = name.startsWith(Constants.R_HEADS);
                if ((!branch && !name.startsWith(Constants.R_TAGS)) || name.endsWith("^{}")) {
                    continue;
                }
                ObjectId commit;
                try (RevWalk walk = new RevWalk(repo)) {
                    commit = walk.parseCommit(repo.resolve(name));
                } catch (IOException | RuntimeException e) {
                    continue; // a tag of something that is not a commit
                }
                if (read(repo, commit, path) == null) {
                    continue;
                }
                String shortName = Repository.shortenRefName(name);
                Target t = new Target(branch ? shortName : null, branch ? null : shortName, commit);
                out.add(revision(s, t, commit.getName(), null));
            }
            return out;
        } catch (GitAPIException e) {
            throw new IOException("git: cannot list the branches and tags of " + s.safeUrl() + ": " + message(e), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("git: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<PushEvent> parseWebhook(WebhookRequest request, String secret) {
        return Webhooks.parse(request, secret);
    }

    // ------------------------------------------------------------------ helpers

    interface GitWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs JGit with the plugin's class loader as the thread's context class loader: the SSH
     * transport (Apache MINA) looks classes up through it, and the engine's does not see the
     * plugin's libraries.
     */
    static <T> T withPluginLoader(GitWork<T> work) throws IOException {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(GitScmProvider.class.getClassLoader());
        try {
            return work.run();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static GitSettings settings(ScmSource source) throws IOException {
        try {
            return GitSettings.of(source);
        } catch (IllegalArgumentException e) {
            throw new IOException("git: " + e.getMessage(), e);
        }
    }

    private static GitSettings withDepth(GitSettings s, int depth) {
        return new GitSettings(s.url(), s.ref(), s.credentialsId(), depth, s.knownHosts(), s.hostKeyCheck());
    }

    /** The workspace as a local directory: JGit works on files, so the workspace must be on this machine. */
    static Path localDirectory(Workspace ws) throws IOException {
        ws.mkdirs("");
        Path dir = Path.of(ws.path());
        if (!Files.isDirectory(dir)) {
            throw new IOException("git: the workspace " + ws.path() + " on node " + ws.nodeName()
                    + " is not on the controller's file system; the git plugin checks out on the built-in node only for now");
        }
        return dir;
    }

    private static Git open(Path dir, String url) throws IOException, GitAPIException {
        File d = dir.toFile();
        Git git = Files.isDirectory(dir.resolve(".git")) ? Git.open(d) : Git.init().setDirectory(d).setInitialBranch("gantry-checkout").call();
        StoredConfig config = git.getRepository().getConfig();
        config.setString("remote", "origin", "url", url);
        config.setString("remote", "origin", "fetch", "+refs/heads/*:refs/remotes/origin/*");
        config.save();
        return git;
    }

    /** Fetches what {@code target} needs into {@code git}: the branch or tag alone when one is named, with the depth asked for. */
    private static void fetch(Git git, GitSettings s, GitAuth auth, Target t) throws GitAPIException {
        FetchCommand f = git.fetch().setRemote(s.url()).setTagOpt(TagOpt.NO_TAGS);
        if (t.branch != null) {
            f.setRefSpecs(new RefSpec("+" + Constants.R_HEADS + t.branch + ":" + Constants.R_REMOTES + "origin/" + t.branch));
        } else if (t.tag != null) {
            f.setRefSpecs(new RefSpec("+" + Constants.R_TAGS + t.tag + ":" + Constants.R_TAGS + t.tag));
        } else {
            // A bare commit: fetch every branch (a server need not serve a commit asked for by id).
            f.setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"));
        }
        if (s.depth() > 0 && (t.branch != null || t.tag != null)) {
            f.setDepth(s.depth());
        }
        auth.apply(f).call();
    }

    /**
     * What {@code settings.ref()} names on the remote, from {@code ls-remote}: a branch (plain,
     * {@code * /x}, {@code origin/x}, {@code refs/heads/x}), a tag ({@code refs/tags/x}, or a plain
     * name no branch has), a commit id, or the remote's default branch.
     */
    private static Target resolveRemote(GitSettings s, GitAuth auth) throws IOException {
        Map<String, Ref> refs = new LinkedHashMap<>();
        Ref head;
        try {
            for (Ref r : auth.apply(Git.lsRemoteRepository().setRemote(s.url()).setHeads(true).setTags(true)).call()) {
                refs.put(r.getName(), r);
            }
            head = auth.apply(Git.lsRemoteRepository().setRemote(s.url())).callAsMap().get(Constants.HEAD);
        } catch (GitAPIException e) {
            throw new IOException("git: cannot reach " + s.safeUrl() + ": " + message(e), e);
        }
        String ref = s.ref();
        if (ref == null) {
            if (head == null) {
                throw new IOException("git: " + s.safeUrl() + " has no default branch (an empty repository?); name a branch");
            }
            String target = head.isSymbolic() ? head.getTarget().getName() : null;
            if (target == null) {
                for (Ref r : refs.values()) {
                    if (r.getName().startsWith(Constants.R_HEADS) && r.getObjectId().equals(head.getObjectId())) {
                        target = r.getName();
                        break;
                    }
                }
            }
            if (target == null) {
                throw new IOException("git: cannot tell the default branch of " + s.safeUrl() + "; name a branch");
            }
            return new Target(target.substring(Constants.R_HEADS.length()), null, head.getObjectId());
        }
        String name = ref;
        if (name.startsWith("*/")) {
            name = name.substring(2);
        } else if (name.startsWith("origin/")) {
            name = name.substring("origin/".length());
        } else if (name.startsWith("refs/remotes/origin/")) {
            name = name.substring("refs/remotes/origin/".length());
        }
        if (name.startsWith(Constants.R_TAGS)) {
            return tag(s, refs, name.substring(Constants.R_TAGS.length()));
        }
        if (name.startsWith(Constants.R_HEADS)) {
            name = name.substring(Constants.R_HEADS.length());
        }
        Ref branch = refs.get(Constants.R_HEADS + name);
        if (branch != null) {
            return new Target(name, null, branch.getObjectId());
        }
        if (refs.containsKey(Constants.R_TAGS + name)) {
            return tag(s, refs, name);
        }
        if (name.matches("[0-9a-fA-F]{40}")) {
            return new Target(null, null, ObjectId.fromString(name));
        }
        throw new IOException("git: " + s.safeUrl() + " has no branch or tag '" + ref + "' (branches: "
                + String.join(", ", refs.keySet().stream().filter(r -> r.startsWith(Constants.R_HEADS)).map(Repository::shortenRefName).toList())
                + "); a commit must be given as its full 40-character id");
    }

    private static Target tag(GitSettings s, Map<String, Ref> refs, String tag) throws IOException {
        Ref peeled = refs.get(Constants.R_TAGS + tag + "^{}");
        Ref r = refs.get(Constants.R_TAGS + tag);
        if (r == null) {
            throw new IOException("git: " + s.safeUrl() + " has no tag '" + tag + "'");
        }
        // An annotated tag names a tag object: its commit is the peeled id. A lightweight tag names
        // the commit itself. Unknown (not peeled by the server): resolved after the fetch.
        ObjectId id = peeled != null ? peeled.getObjectId() : r.getPeeledObjectId() != null ? r.getPeeledObjectId()
                : r.isPeeled() ? r.getObjectId() : null;
        return new Target(null, tag, id);
    }

    private static ScmRevision revision(GitSettings s, Target t, String commit, ScmRevision previousSuccessful) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GIT_COMMIT", commit);
        env.put("GIT_URL", s.safeUrl());
        if (t.branch != null) {
            env.put("GIT_BRANCH", "origin/" + t.branch);
            env.put("BRANCH_NAME", t.branch);
        }
        if (t.tag != null) {
            env.put("TAG_NAME", t.tag);
        }
        if (previousSuccessful != null) {
            env.put("GIT_PREVIOUS_SUCCESSFUL_COMMIT", previousSuccessful.id());
        }
        return new ScmRevision(commit, t.branch, t.tag, env);
    }

    /** A file's text at a commit, or null when the commit's tree has no such file. */
    static String read(Repository repo, ObjectId commit, String path) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(commit);
            try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
                if (tw == null || tw.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    return null;
                }
                return new String(repo.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    static String message(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
            if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
                b.append(": ").append(c.getMessage());
            }
            e = c;
        }
        return GitSettings.safe(b.toString());
    }

    /**
     * What to check out: a branch or a tag (by name, with the commit the remote has for it, null
     * for an annotated tag whose commit shows after the fetch), or a commit alone.
     */
    private record Target(String branch, String tag, ObjectId commit) {
        String localRef() {
            return branch != null ? Constants.R_REMOTES + "origin/" + branch : tag != null ? Constants.R_TAGS + tag + "^{commit}" : commit.getName();
        }

        String describe() {
            return branch != null ? "branch " + branch : tag != null ? "tag " + tag : "commit " + commit.getName();
        }
    }
}
