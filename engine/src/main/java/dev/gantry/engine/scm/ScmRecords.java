package dev.gantry.engine.scm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.scm.ChangeSetEntry;
import dev.gantry.api.scm.ScmRevision;
import dev.gantry.api.scm.ScmSource;
import dev.gantry.engine.run.BuildScm;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkouts of one build as a file beside its artifacts ({@code <build dir>/scm.json}):
 * written whenever the build records a checkout, read for later builds' previous revisions, for
 * polling and webhooks, and for the build's {@code changeSets} in the API.
 */
final class ScmRecords {
    static final String FILE = "scm.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScmRecords() {
    }

    static void write(Path buildDir, List<BuildScm.Checkout> checkouts) throws IOException {
        Files.createDirectories(buildDir);
        List<Object> out = new ArrayList<>();
        for (BuildScm.Checkout c : checkouts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", c.source().type());
            m.put("settings", c.source().settings());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", c.revision().id());
            r.put("branch", c.revision().branch());
            r.put("tag", c.revision().tag());
            r.put("environment", c.revision().environment());
            m.put("revision", r);
            List<Object> changes = new ArrayList<>();
            for (ChangeSetEntry e : c.changes()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("commitId", e.revision());
                cm.put("author", e.author());
                cm.put("authorEmail", e.authorEmail());
                cm.put("timestamp", e.timestamp() == null ? null : e.timestamp().toString());
                cm.put("msg", e.message());
                cm.put("affectedPaths", e.paths());
                changes.add(cm);
            }
            m.put("items", changes);
            out.add(m);
        }
        Path tmp = Files.createTempFile(buildDir, ".scm-", ".json");
        try {
            JSON.writeValue(tmp.toFile(), out);
            try {
                Files.move(tmp, buildDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, buildDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The file as the API shows it ({@code changeSets}); empty when the build checked nothing out. */
    static List<Map<String, Object>> raw(Path buildDir) {
        try {
            return JSON.readValue(buildDir.resolve(FILE).toFile(), new TypeReference<List<Map<String, Object>>>() { });
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            System.getLogger(ScmRecords.class.getName()).log(System.Logger.Level.WARNING, "cannot read " + buildDir.resolve(FILE) + ": " + e.getMessage());
            return List.of();
        }
    }

    /** The build's checkouts as the API's {@code changeSets}: kind, url, revision, branch, tag and the commits ({@code items}). */
    static List<Map<String, Object>> changeSets(Path buildDir) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> m : raw(buildDir)) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("kind", m.get("type"));
            if (m.get("settings") instanceof Map<?, ?> s) {
                c.put("url", s.get("url"));
            }
            if (m.get("revision") instanceof Map<?, ?> r) {
                c.put("revision", r.get("id"));
                c.put("branch", r.get("branch"));
                c.put("tag", r.get("tag"));
            }
            c.put("items", m.getOrDefault("items", List.of()));
            out.add(c);
        }
        return out;
    }

    /** The checkouts of a finished build, with its result. */
    @SuppressWarnings("unchecked")
    static List<BuildScm.Checkout> read(Path buildDir, String result) {
        List<BuildScm.Checkout> out = new ArrayList<>();
        for (Map<String, Object> m : raw(buildDir)) {
            try {
                ScmSource source = new ScmSource(String.valueOf(m.get("type")), (Map<String, Object>) m.get("settings"));
                Map<String, Object> r = (Map<String, Object>) m.get("revision");
                ScmRevision revision = new ScmRevision(String.valueOf(r.get("id")), (String) r.get("branch"), (String) r.get("tag"),
                        (Map<String, String>) r.get("environment"));
                List<ChangeSetEntry> changes = new ArrayList<>();
                for (Map<String, Object> c : (List<Map<String, Object>>) m.getOrDefault("items", List.of())) {
                    Object ts = c.get("timestamp");
                    changes.add(new ChangeSetEntry(String.valueOf(c.get("commitId")), (String) c.get("author"), (String) c.get("authorEmail"),
                            ts == null ? null : Instant.parse(ts.toString()), (String) c.get("msg"), (List<String>) c.get("affectedPaths")));
                }
                out.add(new BuildScm.Checkout(source, revision, changes, result));
            } catch (RuntimeException e) {
                System.getLogger(ScmRecords.class.getName()).log(System.Logger.Level.WARNING,
                        "skipping an unreadable checkout in " + buildDir.resolve(FILE) + ": " + e);
            }
        }
        return out;
    }
}
