package dev.gantry.engine.server;

import dev.gantry.api.build.StashStore;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildRepository;
import dev.gantry.engine.store.BuildStatus;
import dev.gantry.engine.workspace.LocalStashStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The stashes of controller builds, in {@code stashes/} of each build's directory in the home.
 * A build's stashes are removed when it ends unless its pipeline says
 * {@code options { preserveStashes(buildCount: N) }}; then the stashes of the job's N newest
 * completed builds that kept any are kept, for a restart from a stage to find. A restarted build
 * starts with a copy of the original build's stashes.
 */
final class StashKeeper {
    private static final System.Logger LOG = System.getLogger(StashKeeper.class.getName());

    private StashKeeper() {
    }

    static Path directory(Path buildDir) {
        return buildDir.resolve("stashes");
    }

    /**
     * The stash store of a build. For a restart ({@code originDir} not null), the original's
     * preserved stashes are copied in first, and a stash that is missing is explained.
     */
    static StashStore open(Path buildDir, Path originDir, int originNumber) throws IOException {
        Path dir = directory(buildDir);
        LocalStashStore store = new LocalStashStore(dir);
        if (originDir == null) {
            return store;
        }
        Path origin = directory(originDir);
        boolean preserved = Files.isDirectory(origin);
        if (preserved) {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> tars = Files.newDirectoryStream(origin, "*.tar")) {
                for (Path t : tars) {
                    Files.copy(t, dir.resolve(t.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return new StashStore() {
            @Override
            public OutputStream create(String name) throws IOException {
                return store.create(name);
            }

            @Override
            public InputStream open(String name) throws IOException {
                try {
                    return store.open(name);
                } catch (FileNotFoundException e) {
                    throw new FileNotFoundException(preserved
                            ? "No such saved stash '" + name + "': build #" + originNumber + ", which this build restarts, preserved no stash of that name"
                            : "No such saved stash '" + name + "': build #" + originNumber + ", which this build restarts, kept no stashes."
                                    + " Add options { preserveStashes() } to the pipeline (preserveStashes(buildCount: N) keeps those of"
                                    + " the last N completed builds), run it, and restart that build");
                }
            }
        };
    }

    /**
     * After a build ended: keeps its stashes when {@code keep > 0} and removes those of older
     * completed builds of the job beyond the newest {@code keep}; else removes its own.
     */
    static void finish(String job, int number, Path buildDir, int keep, BuildRepository builds) {
        try {
            if (keep <= 0) {
                deleteTree(directory(buildDir));
                return;
            }
            List<Integer> kept = new ArrayList<>();
            try (DirectoryStream<Path> siblings = Files.newDirectoryStream(buildDir.getParent())) {
                for (Path b : siblings) {
                    String n = b.getFileName().toString();
                    if (n.matches("\\d{1,9}") && Files.isDirectory(directory(b))) {
                        kept.add(Integer.parseInt(n));
                    }
                }
            }
            kept.sort(Comparator.reverseOrder());
            int completed = 0;
            for (int n : kept) {
                if (n == number || builds.find(job, n).map(BuildRecord::status).orElse(BuildStatus.COMPLETED) == BuildStatus.COMPLETED) {
                    completed++;
                    if (completed > keep) {
                        deleteTree(directory(buildDir.resolveSibling(Integer.toString(n))));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot clean up the stashes of " + job + " #" + number + " under " + buildDir + ": " + e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
