package dev.gantry.engine.scm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.scm.PushEvent;
import dev.gantry.api.scm.ScmRevision;
import dev.gantry.engine.jobs.JobDefinition;
import dev.gantry.engine.jobs.JobOptions;
import dev.gantry.engine.jobs.JobSpec;
import dev.gantry.engine.jobs.ScmSource;
import dev.gantry.engine.server.Controller;
import dev.gantry.engine.server.ControllerService;
import dev.gantry.engine.server.JobNames;
import dev.gantry.engine.store.BuildCause;
import dev.gantry.engine.store.JobRecord;
import dev.gantry.engine.store.StaleVersionException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Multibranch projects: a folder whose jobs are made from a repository, one per branch and tag
 * whose head holds the pipeline file ({@code <project>/<branch>}, a {@code /} in the branch
 * written {@code _}). A scan creates the jobs of new heads (and builds new branches and branches
 * whose head moved since the last scan; tags are built on request only, as in Jenkins), and
 * deletes the jobs of heads that are gone. The projects are kept in
 * {@code <home>/multibranch.json}. Thread-safe: scans of one project run one at a time.
 */
public final class Multibranch implements dev.gantry.engine.server.MultibranchProjects {
    private static final System.Logger LOG = System.getLogger(Multibranch.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Jenkins' cause of builds a branch scan starts. */
    static final String INDEXING_CAUSE = "jenkins.branch.BranchIndexingCause";
    private final ControllerScm scm;
    private final ControllerService controller;
    private final Path file;
    private final Map<String, Project> projects = new TreeMap<>();
    private final Map<String, Map<String, String>> seen = new TreeMap<>();

    /**
     * A multibranch project's definition.
     *
     * @param url the repository
     * @param credentialsId the credential to read it with, or null
     * @param path the pipeline file that makes a branch buildable, {@code Jenkinsfile} unless given
     * @param description may be null
     */
    public record Project(String url, String credentialsId, String path, String description) {
        public Project {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("a multibranch project needs url: the repository whose branches it builds");
            }
            path = path == null || path.isBlank() ? ScmSource.DEFAULT_PATH : path;
            credentialsId = credentialsId == null || credentialsId.isBlank() ? null : credentialsId;
        }
    }

    /** What a scan did: the jobs created, deleted and queued, by full name. */
    public record ScanResult(List<String> branches, List<String> created, List<String> deleted, List<String> queued) {
    }

    Multibranch(ControllerScm scm, ControllerService controller, Path file) {
        this.scm = scm;
        this.controller = controller;
        this.file = file;
        load();
    }

    private synchronized void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            Map<String, Object> all = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
            Map<String, Map<String, Object>> p = JSON.convertValue(all.getOrDefault("projects", Map.of()), new TypeReference<Map<String, Map<String, Object>>>() { });
            p.forEach((name, m) -> projects.put(name, new Project((String) m.get("url"), (String) m.get("credentialsId"), (String) m.get("path"),
                    (String) m.get("description"))));
            seen.putAll(JSON.convertValue(all.getOrDefault("seen", Map.of()), new TypeReference<Map<String, Map<String, String>>>() { }));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the multibranch projects in " + file + ": " + e.getMessage());
        }
    }

    private synchronized void save() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("projects", projects);
        all.put("seen", seen);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".multibranch-", ".json");
            try {
                JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), all);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the multibranch projects to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every project by name. */
    public synchronized Map<String, Project> list() {
        return Map.copyOf(projects);
    }

    /** One project, or empty. */
    public synchronized java.util.Optional<Project> get(String name) {
        return java.util.Optional.ofNullable(projects.get(name));
    }

    /**
     * Creates or replaces a project (and its folder), then scans it.
     *
     * @throws IllegalArgumentException when the name is not a valid folder name
     * @throws dev.gantry.engine.store.JobTreeConflictException when a job has the name
     * @throws IOException when the repository cannot be read; the project is saved anyway
     */
    public ScanResult put(String name, Project project) throws IOException {
        String why = JobNames.check(name);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        controller.saveFolder(name, project.description() == null ? "Multibranch project of " + project.url() : project.description());
        synchronized (this) {
            projects.put(name, Objects.requireNonNull(project));
            save();
        }
        return scan(name);
    }

    /**
     * Deletes a project with its folder and jobs.
     *
     * @return false when there was no such project
     */
    public boolean delete(String name) {
        synchronized (this) {
            if (projects.remove(name) == null) {
                return false;
            }
            seen.remove(name);
            save();
        }
        if (controller.folder(name).isPresent()) {
            controller.deleteFolder(name, true);
        }
        return true;
    }

    // ------------------------------------------------------------------ from definition files (kind: multibranch)

    @Override
    public String problem(dev.gantry.engine.jobs.MultibranchDefinition d) {
        String name = d.name();
        if (controller.job(name).isPresent()) {
            return "'" + name + "' is a job; a multibranch project is a folder: delete the job or give the project another name";
        }
        String owner = ownerOf(name);
        if (owner != null && !owner.equals(name)) {
            return "'" + name + "' is inside the multibranch project '" + owner + "', whose jobs its branch scans make; give it another name";
        }
        synchronized (this) {
            if (projects.containsKey(name)) {
                return null;
            }
        }
        if (controller.folder(name).isPresent()) {
            List<String> jobs = controller.children(name).jobs().stream().map(JobRecord::name).toList();
            if (!jobs.isEmpty()) {
                return "the folder '" + name + "' holds jobs (" + String.join(", ", jobs.subList(0, Math.min(5, jobs.size())))
                        + (jobs.size() > 5 ? ", ..." : "") + "), which a multibranch project's scan would delete as branches it does not have;"
                        + " move or delete them first, or give the project another name";
            }
        }
        return null;
    }

    @Override
    public String jobProblem(String job) {
        String owner = ownerOf(job);
        return owner == null || owner.equals(job) ? null : "job '" + job + "' is inside the multibranch project '" + owner
                + "', whose jobs its branch scans make; define it elsewhere";
    }

    /** The project {@code name} is, or is inside; null when none. */
    private synchronized String ownerOf(String name) {
        for (String p : projects.keySet()) {
            if (name.equals(p) || name.startsWith(p + "/")) {
                return p;
            }
        }
        return null;
    }

    @Override
    public Controller.Applied apply(dev.gantry.engine.jobs.MultibranchDefinition d, boolean dryRun) {
        Project p = new Project(d.url(), d.credentialsId(), d.path(), d.description());
        Project old = get(d.name()).orElse(null);
        String action = old == null ? "created" : old.equals(p) ? "unchanged" : "updated";
        if (dryRun || old != null && old.equals(p)) {
            return new Controller.Applied(d.name(), 0, action, "multibranch", null);
        }
        try {
            put(d.name(), p);
            return new Controller.Applied(d.name(), 0, action, "multibranch", null);
        } catch (IOException e) {
            return new Controller.Applied(d.name(), 0, action, "multibranch", e.getMessage());
        }
    }

    /** Whether {@code job} was made by a project (its folder is one). */
    synchronized boolean isChild(String job) {
        int slash = job.lastIndexOf('/');
        return slash > 0 && projects.containsKey(job.substring(0, slash));
    }

    synchronized List<String> projectsFor(List<String> urls) {
        List<String> out = new ArrayList<>();
        projects.forEach((name, p) -> {
            if (urls.stream().anyMatch(u -> ScmUrls.same(u, p.url()))) {
                out.add(name);
            }
        });
        return out;
    }

    /** The job of the pushed branch or tag, by name (it may not exist yet). */
    String childFor(String project, PushEvent e) {
        return project + "/" + jobPart(e.branch() != null ? e.branch() : e.tag());
    }

    synchronized void seen(String project, String child, String revision) {
        seen.computeIfAbsent(project, k -> new TreeMap<>()).put(child, revision);
        save();
    }

    /** A branch or tag name as the last part of a job name. */
    static String jobPart(String ref) {
        return ref.replaceAll("[^\\p{L}\\p{N}._ -]", "_").strip();
    }

    void scanQuietly(String project) {
        try {
            scan(project);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "scanning the multibranch project " + project + " failed: " + e.getMessage());
        }
    }

    /**
     * Scans a project's repository: creates and updates the jobs of its heads with the pipeline
     * file, deletes the others, and queues builds of branches that are new or moved.
     *
     * @throws NoSuchElementException when there is no such project
     * @throws IOException when the repository cannot be read (nothing is deleted then)
     */
    public ScanResult scan(String name) throws IOException {
        Project p;
        synchronized (this) {
            p = projects.get(name);
        }
        if (p == null) {
            throw new NoSuchElementException("no multibranch project named " + name);
        }
        synchronized (p) {
            List<ScmRevision> heads;
            try {
                heads = scm.provider("git").heads(ControllerScm.apiSource(new ScmSource(p.url(), null, p.path(), p.credentialsId())), p.path(),
                        scm.credentialLookup());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while scanning " + p.url(), e);
            } catch (UnsupportedOperationException e) {
                throw new IOException(e.getMessage(), e);
            }
            Map<String, ScmRevision> wanted = new TreeMap<>();
            for (ScmRevision h : heads) {
                String ref = h.branch() != null ? h.branch() : h.tag();
                String child = name + "/" + jobPart(ref);
                if (JobNames.check(child) != null) {
                    LOG.log(System.Logger.Level.WARNING, "multibranch " + name + ": " + ref + " cannot be a job name: " + JobNames.check(child));
                } else if (wanted.containsKey(child) && h.branch() == null) {
                    LOG.log(System.Logger.Level.WARNING, "multibranch " + name + ": tag " + ref + " is left out: a branch has the job name " + child);
                } else {
                    wanted.put(child, h);
                }
            }
            if (controller.folder(name).isEmpty()) {
                controller.saveFolder(name, p.description() == null ? "Multibranch project of " + p.url() : p.description());
            }
            List<String> created = new ArrayList<>();
            List<String> queued = new ArrayList<>();
            Map<String, String> last;
            synchronized (this) {
                last = new TreeMap<>(seen.getOrDefault(name, Map.of()));
            }
            for (Map.Entry<String, ScmRevision> w : wanted.entrySet()) {
                ScmRevision h = w.getValue();
                String branch = h.branch() != null ? h.branch() : "refs/tags/" + h.tag();
                JobSpec spec = new JobSpec((h.branch() != null ? "Branch " + h.branch() : "Tag " + h.tag()) + " of " + p.url(),
                        new ScmSource(p.url(), branch, p.path(), p.credentialsId()), List.of(), JobOptions.NONE);
                java.util.Optional<JobRecord> existing = controller.job(w.getKey());
                if (existing.isEmpty() || !existing.get().spec().equals(spec)) {
                    try {
                        controller.putJob(new JobDefinition(w.getKey(), null, spec), null);
                    } catch (Controller.InvalidJobException | StaleVersionException e) {
                        LOG.log(System.Logger.Level.WARNING, "multibranch " + name + ": cannot save " + w.getKey() + ": " + e.getMessage());
                        continue;
                    }
                    if (existing.isEmpty()) {
                        created.add(w.getKey());
                    }
                }
                boolean build = h.branch() != null && !h.id().equals(last.get(w.getKey()));
                if (build) {
                    controller.trigger(w.getKey(), Map.of(), List.of(new BuildCause(INDEXING_CAUSE, "Branch indexing", null, null, null, null)));
                    queued.add(w.getKey());
                }
                last.put(w.getKey(), h.id());
            }
            List<String> deleted = new ArrayList<>();
            for (JobRecord j : controller.children(name).jobs()) {
                if (!wanted.containsKey(j.name())) {
                    controller.deleteJob(j.name());
                    deleted.add(j.name());
                    last.remove(j.name());
                }
            }
            synchronized (this) {
                seen.put(name, last);
                save();
            }
            return new ScanResult(List.copyOf(wanted.keySet()), created, deleted, queued);
        }
    }
}
