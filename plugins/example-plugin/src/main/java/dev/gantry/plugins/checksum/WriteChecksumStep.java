package dev.gantry.plugins.checksum;

import dev.gantry.api.report.BuildReports;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.support.SimpleStep;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.pf4j.Extension;

/**
 * {@code writeChecksum file: 'app.jar'}: computes the file's SHA-256, writes it to
 * {@code app.jar.sha256} in the format {@code sha256sum -c} checks, and returns the digest.
 */
@Extension
public class WriteChecksumStep extends SimpleStep {

    public WriteChecksumStep() {
        super("writeChecksum", "Writes the SHA-256 of a workspace file to FILE.sha256 (the format sha256sum -c reads) and returns it.",
                d -> d.required("file", STRING, "The file, relative to the current directory.")
                        .positional("file")
                        .optional("to", STRING, null, "Where to write the checksum (default: FILE.sha256).")
                        .needsWorkspace());
    }

    @Override
    public Object run(StepContext context, StepArguments args) throws IOException {
        String file = args.string("file");
        String target = args.isSet("to") ? args.string("to") : file + ".sha256";
        if (!context.workspace().exists(file) || context.workspace().isDirectory(file)) {
            throw new StepFailedException("writeChecksum: there is no file '" + file + "' in " + context.workspace().path());
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(context.workspace().read(file), sha)) {
            in.transferTo(OutputStreamSink.INSTANCE);
        }
        String hex = HexFormat.of().formatHex(sha.digest());
        String name = file.contains("/") ? file.substring(file.lastIndexOf('/') + 1) : file;
        writeText(context.workspace(), target, hex + "  " + name + "\n");
        context.console().println("SHA-256 of " + file + ": " + hex + " (written to " + target + ")");
        context.service(BuildReports.class).ifPresent(reports -> ChecksumReport.add(reports, file, hex));
        return hex;
    }

    /** Discards bytes: only the digest of what passes through matters. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
            // discarded
        }

        @Override
        public void write(byte[] b, int off, int len) {
            // discarded
        }
    }
}
