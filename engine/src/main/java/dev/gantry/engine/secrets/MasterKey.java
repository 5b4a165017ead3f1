package dev.gantry.engine.secrets;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The controller's master key: 256 random bits in {@code $GANTRY_HOME/secrets/master.key}
 * (directory mode 700, file mode 600), created on first use. Everything stored encrypted is
 * encrypted under it; losing the file loses the credentials, so backups must include it. The key
 * is never logged or shown.
 */
final class MasterKey {
    static final int BYTES = 32;

    private MasterKey() {
    }

    /**
     * Reads the key in {@code home/secrets/master.key}, creating it (and the directory) when missing.
     *
     * @throws IOException naming the file when it cannot be read or created, or does not hold 32 bytes
     */
    static SecretKey loadOrCreate(Path home) throws IOException {
        Path dir = home.resolve("secrets");
        Path file = dir.resolve("master.key");
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        if (!Files.exists(file)) {
            byte[] key = new byte[BYTES];
            new SecureRandom().nextBytes(key);
            // Written to a private temporary file first and moved into place, so that a crash
            // never leaves a short key behind and the key is never readable by others.
            FileAttribute<?>[] attrs = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0];
            Path tmp = Files.createTempFile(dir, ".master", ".tmp", attrs);
            try {
                Files.write(tmp, key);
                try {
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException e) {
                    // another process of the same home won the race: use its key
                } catch (UnsupportedOperationException e) {
                    Files.move(tmp, file);
                }
            } finally {
                Files.deleteIfExists(tmp);
                Arrays.fill(key, (byte) 0);
            }
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length != BYTES) {
            throw new IOException("the master key " + file + " holds " + key.length + " bytes, not " + BYTES
                    + "; restore it from a backup (credentials cannot be decrypted without it)");
        }
        try {
            return new SecretKeySpec(key, "AES");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
