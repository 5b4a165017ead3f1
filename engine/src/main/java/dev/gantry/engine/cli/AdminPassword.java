package dev.gantry.engine.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where {@code gantry server} takes a preset first admin password from: a file, else the environment. */
final class AdminPassword {
    static final String ENV = "GANTRY_ADMIN_PASSWORD";

    private AdminPassword() {
    }

    /**
     * The preset password: the first line of {@code file} when given, else {@value #ENV} when set
     * and not blank, else null (generate one).
     *
     * @throws IOException naming the file when it cannot be read
     * @throws IllegalArgumentException when the file's first line is empty
     */
    static String preset(Path file) throws IOException {
        if (file != null) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("cannot read the admin password file " + file + ": " + e.getMessage(), e);
            }
            String line = text.lines().findFirst().orElse("");
            if (line.isEmpty()) {
                throw new IllegalArgumentException("the admin password file " + file + " is empty; put the password on its first line");
            }
            return line;
        }
        String env = System.getenv(ENV);
        return env == null || env.isBlank() ? null : env;
    }
}
