package dev.gantry.engine.steps;

import dev.gantry.api.Result;
import dev.gantry.api.build.ArtifactStore;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.FileSelection;
import dev.gantry.api.workspace.Workspace;
import dev.gantry.engine.workspace.FileSelector;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code archiveArtifacts}: keeps files of the current directory with the build, in its
 * {@link ArtifactStore}, optionally fingerprinted with MD5 as Jenkins does. Stateless.
 */
public final class ArchiveArtifactsStep implements Step {
    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("archiveArtifacts")
            .help("Keeps the matching files of the current directory with the build, downloadable after it ends.")
            .required("artifacts", ParamType.STRING, "Ant-style patterns of the files to archive, comma-separated, "
                    + "such as target/*.jar.")
            .optional("excludes", ParamType.STRING, null, "Ant-style patterns of files to leave out, comma-separated.")
            .optional("allowEmptyArchive", ParamType.BOOLEAN, false, "Do not fail the build when no file matches.")
            .optional("fingerprint", ParamType.BOOLEAN, false, "Record an MD5 fingerprint of each archived file.")
            .optional("onlyIfSuccessful", ParamType.BOOLEAN, false, "Archive only when the build result is still SUCCESS.")
            .optional("defaultExcludes", ParamType.BOOLEAN, true, "Leave out Ant's default excludes (.git, .svn, "
                    + "editor backups ...).")
            .optional("caseSensitive", ParamType.BOOLEAN, true, "Whether the patterns compare letter case.")
            .positional("artifacts")
            .needsWorkspace()
            .build();

    @Override
    public StepDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object run(StepContext context, StepArguments arguments) {
        String artifacts = arguments.string("artifacts");
        if (arguments.bool("onlyIfSuccessful") && context.run().result().isWorseThan(Result.SUCCESS)) {
            context.console().println("Skipped archiving because build is not successful");
            return null;
        }
        ArtifactStore store = context.service(ArtifactStore.class).orElseThrow(() ->
                new StepFailedException("archiveArtifacts: this build has no artifact storage"));
        context.console().println("Archiving artifacts");
        Workspace ws = context.workspace();
        String excludes = arguments.string("excludes");
        boolean defaultExcludes = arguments.bool("defaultExcludes");
        List<String> files;
        try {
            if (arguments.bool("caseSensitive")) {
                files = ws.list(new FileSelection(artifacts, excludes, defaultExcludes));
            } else {
                // FileSelection has no case option: take every file and match here.
                FileSelector selector = FileSelector.of(artifacts, excludes, defaultExcludes, false);
                files = ws.list(new FileSelection(null, null, defaultExcludes)).stream()
                        .filter(selector::isSelected).toList();
            }
            refuseLinksLeaving(ws, artifacts, excludes, defaultExcludes, arguments.bool("caseSensitive"));
        } catch (IOException e) {
            throw FileStepSupport.failed("archiveArtifacts", e);
        }
        if (files.isEmpty()) {
            String message = "No artifacts found that match the file pattern \"" + artifacts + "\". Configuration error?";
            if (arguments.bool("allowEmptyArchive")) {
                context.console().println(message);
                return null;
            }
            throw new StepFailedException(message);
        }
        boolean fingerprint = arguments.bool("fingerprint");
        if (fingerprint) {
            context.console().println("Recording fingerprints");
        }
        for (String path : files) {
            try {
                if (fingerprint) {
                    MessageDigest md5 = md5();
                    try (InputStream in = new DigestInputStream(ws.read(path), md5)) {
                        store.store(path, in);
                    }
                    store.fingerprint(path, "MD5", HexFormat.of().formatHex(md5.digest()));
                } else {
                    try (InputStream in = ws.read(path)) {
                        store.store(path, in);
                    }
                }
            } catch (IOException e) {
                throw new StepFailedException("archiveArtifacts: cannot archive '" + path + "': " + e.getMessage(), e);
            }
        }
        return null;
    }

    /**
     * A selected symbolic link that leads out of the workspace would archive what lies outside
     * (another job's files, the controller's secrets): the step fails, naming the links, rather
     * than archive them or drop them silently.
     */
    private static void refuseLinksLeaving(Workspace ws, String includes, String excludes, boolean defaultExcludes,
                                           boolean caseSensitive) throws IOException {
        if (!(ws instanceof dev.gantry.engine.workspace.LocalWorkspace local)) {
            return; // other nodes list only files inside the workspace, and read nothing through such links
        }
        List<String> leaving = local.linksLeaving(FileSelector.of(includes, excludes, defaultExcludes, caseSensitive));
        if (!leaving.isEmpty()) {
            throw new StepFailedException("archiveArtifacts: refusing to archive symbolic links that lead out of the workspace: "
                    + String.join(", ", leaving) + ". Copy the files into the workspace, or exclude the links with excludes:");
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5, which every Java runtime must provide", e);
        }
    }
}
