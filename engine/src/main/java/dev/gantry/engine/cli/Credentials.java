package dev.gantry.engine.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CLI's {@code --auth} value: {@code USER:SECRET} as given, or read from {@code @FILE} (so that it stays out of {@code ps}). */
final class Credentials {
    private Credentials() {
    }

    /**
     * {@code USER:SECRET}, or null when {@code auth} is null or blank.
     *
     * @throws IllegalArgumentException when the value (or the file's first line) is not {@code USER:SECRET}
     * @throws IOException naming the file when it cannot be read
     */
    static String resolve(String auth) throws IOException {
        if (auth == null || auth.isBlank()) {
            return null;
        }
        String value = auth;
        String from = "--auth / GANTRY_AUTH";
        if (auth.startsWith("@")) {
            Path file = Path.of(auth.substring(1));
            try {
                value = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
            } catch (IOException e) {
                throw new IOException("cannot read the credentials file " + file + ": " + e.getMessage(), e);
            }
            from = "the credentials file " + file;
        }
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException(from + " must be USER:TOKEN (or USER:PASSWORD)");
        }
        return value;
    }

    /** The user part of {@code USER:SECRET}, or null. */
    static String user(String credentials) {
        return credentials == null ? null : credentials.substring(0, credentials.indexOf(':'));
    }
}
