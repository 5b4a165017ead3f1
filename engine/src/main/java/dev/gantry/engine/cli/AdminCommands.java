package dev.gantry.engine.cli;

import dev.gantry.engine.store.JobRecord;
import dev.gantry.engine.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry admin backup|restore}: an online backup from a running controller, and an offline restore. */
final class AdminCommands {
    private AdminCommands() {
    }

    @Command(name = "admin", mixinStandardHelpOptions = true, description = "Controller administration: backup and restore.",
            subcommands = {Backup.class, Restore.class})
    static final class Admin implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "an admin command is required (backup, restore)");
        }
    }

    /** {@code gantry admin backup FILE}. */
    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Takes an online backup of a running controller: database snapshot, logs, artifacts and preserved stashes,",
                    "as one zip written to FILE on this machine. Builds keep running meanwhile."})
    static final class Backup extends ClientCommands.Remote {
        @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the zip (replaced only once the backup is complete and checked).")
        Path file;

        @Override
        int execute() throws Exception {
            Path target = file.toAbsolutePath().normalize();
            Files.createDirectories(target.getParent());
            Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName() + "-", ".partial");
            try {
                long bytes = client().postToFile("api/v1/admin/backup", partial);
                int entries = check(partial);
                Files.move(partial, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                out().println("backup written to " + target + " (" + bytes + " bytes, " + entries + " files)");
                return 0;
            } finally {
                Files.deleteIfExists(partial);
            }
        }

        /** A cut-off download is not a backup: the zip must read to its end and hold the database. */
        private static int check(Path zip) throws IOException {
            try (ZipFile z = new ZipFile(zip.toFile())) {
                if (z.getEntry("db/gantry.mv.db") == null) {
                    throw new IOException("the controller's answer has no db/gantry.mv.db: it is not a Gantry backup; nothing was written");
                }
                return z.size();
            } catch (java.util.zip.ZipException e) {
                throw new IOException("the backup arrived incomplete or damaged (" + e.getMessage() + "); nothing was written; see the controller's log", e);
            }
        }
    }

    /** {@code gantry admin restore FILE --home DIR [--force]}. */
    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Restores a backup into a controller home, offline (no controller may use DIR).",
                    "DIR must be new or empty; with --force an existing home is moved aside to DIR.before-restore-TIME, never deleted.",
                    "Afterwards start the controller with gantry server --home DIR."})
    static final class Restore implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "A zip written by gantry admin backup.")
        Path file;

        @Option(names = "--home", paramLabel = "DIR", required = true, description = "The home to restore into.")
        Path home;

        @Option(names = "--force", description = "Restore even when DIR is not empty: DIR is moved aside first.")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                return restore(out);
            } catch (IllegalArgumentException e) {
                err.println("gantry admin restore: " + e.getMessage());
                return Main.USAGE;
            } catch (IOException | RuntimeException e) {
                err.println("gantry admin restore: " + e.getMessage());
                return 1;
            } finally {
                out.flush();
                err.flush();
            }
        }

        private int restore(PrintWriter out) throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no backup file at " + file.toAbsolutePath());
            }
            Path target = home.toAbsolutePath().normalize();
            boolean occupied = Files.isDirectory(target) && !isEmpty(target);
            if (Files.exists(target) && !Files.isDirectory(target)) {
                throw new IllegalArgumentException(target + " is a file, not a directory");
            }
            if (occupied && !force) {
                throw new IllegalArgumentException(target + " is not empty; restore into a new or empty directory, or pass --force to move "
                        + target.getFileName() + " aside to " + target.getFileName() + ".before-restore-TIME and restore in its place");
            }
            if (occupied) {
                refuseWhenInUse(target);
            }
            String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now());
            Path staging = target.resolveSibling(target.getFileName() + ".restoring-" + stamp);
            int jobs;
            int builds = 0;
            try {
                Store.restore(file, staging);
                // Opening it checks the database and brings its schema up to this version before it goes live.
                try (Store store = Store.open(staging)) {
                    jobs = store.jobs().list().size();
                    for (JobRecord j : store.jobs().list()) {
                        builds += store.builds().count(j.name());
                    }
                }
            } catch (IOException | RuntimeException e) {
                deleteTree(staging);
                throw e;
            }
            Path aside = null;
            if (occupied) {
                aside = target.resolveSibling(target.getFileName() + ".before-restore-" + stamp);
                Files.move(target, aside);
            } else if (Files.isDirectory(target)) {
                Files.delete(target);
            }
            Files.move(staging, target);
            out.println("restored " + jobs + " job(s) and " + builds + " build(s) into " + target
                    + (aside == null ? "" : "; the previous home is in " + aside));
            out.println("start the controller with: gantry server --home " + target);
            return 0;
        }

        private static void deleteTree(Path dir) {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                System.err.println("gantry admin restore: could not remove the partial restore in " + dir + ": " + e.getMessage());
            }
        }

        private static boolean isEmpty(Path dir) throws IOException {
            try (Stream<Path> s = Files.list(dir)) {
                return s.findAny().isEmpty();
            }
        }

        /** H2 holds a file lock on the database while a controller has the home open. */
        private static void refuseWhenInUse(Path home) throws IOException {
            Path db = home.resolve("db").resolve("gantry.mv.db");
            if (!Files.exists(db)) {
                return;
            }
            try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock lock = ch.tryLock();
                if (lock == null) {
                    throw new IllegalArgumentException("a controller is using " + home + "; stop it before restoring over its home");
                }
                lock.release();
            } catch (OverlappingFileLockException e) {
                throw new IllegalArgumentException("a controller in this process is using " + home + "; stop it before restoring over its home");
            }
        }
    }
}
