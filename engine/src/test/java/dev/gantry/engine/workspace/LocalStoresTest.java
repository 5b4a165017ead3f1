package dev.gantry.engine.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoresTest {
    @TempDir
    Path tmp;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aStashBecomesVisibleOnlyWhenClosedAndReplacesTheEarlierOne() throws IOException {
        LocalStashStore store = new LocalStashStore(tmp.resolve("stashes"));
        try (OutputStream out = store.create("app-1.0_x")) {
            out.write(bytes("first"));
        }
        OutputStream second = store.create("app-1.0_x");
        second.write(bytes("second"));
        assertEquals("first", read(store.open("app-1.0_x")));
        second.close();
        second.close();
        assertEquals("second", read(store.open("app-1.0_x")));
        assertTrue(store.exists("app-1.0_x"));
        try (var files = Files.list(store.directory())) {
            assertEquals(List.of("app-1.0_x.tar"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aMissingStashIsReportedInJenkinsWording() {
        LocalStashStore store = new LocalStashStore(tmp.resolve("stashes"));
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> store.open("nope"));
        assertEquals("No such saved stash 'nope'", e.getMessage());
    }

    @Test
    void stashNamesAreValidated() {
        LocalStashStore store = new LocalStashStore(tmp.resolve("stashes"));
        for (String bad : List.of("", "a/b", "..", ".", "has space", "x".repeat(201), "a\\b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.create(bad), bad);
            assertTrue(e.getMessage().contains("stash name"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> store.open("../x"));
        LocalStashStore.validateName("x".repeat(200));
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void artifactsAreStoredAtTheirPathsAndListedSorted() throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(tmp.resolve("artifacts"));
        store.store("target/app.jar", new ByteArrayInputStream(bytes("jar")));
        store.store("README.md", new ByteArrayInputStream(bytes("readme")));
        store.store("target/app.jar", new ByteArrayInputStream(bytes("jar2")));
        store.store("a/b/c.txt", new ByteArrayInputStream(bytes("c")));
        assertEquals(List.of("README.md", "a/b/c.txt", "target/app.jar"), store.list());
        assertEquals("jar2", read(store.open("target/app.jar")));
        assertEquals(List.of(), new LocalArtifactStore(tmp.resolve("empty")).list());
    }

    @Test
    void artifactPathsCannotEscape() throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(tmp.resolve("artifacts"));
        for (String bad : List.of("../evil", "a/../../evil", "/etc/evil", "", "a/../b")) {
            IOException e = assertThrows(IOException.class,
                    () -> store.store(bad, new ByteArrayInputStream(bytes("x"))), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("evil")));
        assertThrows(IOException.class, () -> store.open("../artifacts/x"));
    }

    @Test
    void fingerprintsAreKeptByPath() {
        LocalArtifactStore store = new LocalArtifactStore(tmp.resolve("artifacts"));
        store.fingerprint("b.jar", "MD5", "bb");
        store.fingerprint("a.jar", "MD5", "aa");
        assertEquals(Map.of("a.jar", new LocalArtifactStore.Fingerprint("MD5", "aa"),
                "b.jar", new LocalArtifactStore.Fingerprint("MD5", "bb")), store.fingerprints());
        assertEquals(List.of("a.jar", "b.jar"), List.copyOf(store.fingerprints().keySet()));
    }
}
