package dev.gantry.engine.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AntPatternTest {

    private static boolean matches(String pattern, String path) {
        return AntPattern.compile(pattern, true).matches(path);
    }

    @Test
    void singleStarStaysWithinOneSegment() {
        assertTrue(matches("*.jar", "app.jar"));
        assertFalse(matches("*.jar", "lib/app.jar"));
        assertTrue(matches("lib/*.jar", "lib/app.jar"));
        assertFalse(matches("lib/*.jar", "lib/sub/app.jar"));
    }

    @Test
    void doubleStarMatchesAnyDepthIncludingNone() {
        assertTrue(matches("**/*.jar", "app.jar"));
        assertTrue(matches("**/*.jar", "a/b/c/app.jar"));
        assertTrue(matches("src/**/Test*.java", "src/TestA.java"));
        assertTrue(matches("src/**/Test*.java", "src/x/y/TestA.java"));
        assertFalse(matches("src/**/Test*.java", "test/x/TestA.java"));
        assertTrue(matches("**", "anything/at/all"));
        assertTrue(matches("a/**/b/**/c", "a/b/c"));
        assertTrue(matches("a/**/b/**/c", "a/x/b/y/z/c"));
        assertFalse(matches("a/**/b/**/c", "a/x/y/c"));
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        assertTrue(matches("file?.txt", "file1.txt"));
        assertFalse(matches("file?.txt", "file.txt"));
        assertFalse(matches("file?.txt", "file12.txt"));
    }

    @Test
    void trailingSlashMeansEverythingBelow() {
        AntPattern p = AntPattern.compile("build/", true);
        assertEquals("build/**", p.pattern());
        assertTrue(p.matches("build/a/b.class"));
        assertFalse(p.matches("src/build.gradle"));
    }

    @Test
    void dotSegmentsAreIgnored() {
        assertTrue(matches("./target/*.jar", "target/app.jar"));
    }

    @Test
    void backslashesAreReadAsSlashes() {
        assertTrue(matches("target\\*.jar", "target/app.jar"));
    }

    @Test
    void caseInsensitiveWhenAsked() {
        assertFalse(matches("**/*.JAR", "lib/app.jar"));
        assertTrue(AntPattern.compile("**/*.JAR", false).matches("lib/app.jar"));
    }

    @Test
    void starsInsideSegmentsBacktrack() {
        assertTrue(matches("*a*b*c", "xxaxxbxxbxc"));
        assertFalse(matches("*a*b*c", "xxaxxbxxbx"));
    }

    @Test
    void listsAreCommaSeparatedAndTrimmed() {
        List<AntPattern> list = AntPattern.compileList(" a/*.txt ,, **/*.jar ", true);
        assertEquals(List.of("a/*.txt", "**/*.jar"), list.stream().map(AntPattern::pattern).toList());
        assertTrue(AntPattern.compileList(null, true).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> AntPattern.compile(" ", true));
    }

    @Test
    void couldMatchBelowPrunesDirectoriesNoPatternReaches() {
        AntPattern p = AntPattern.compile("src/main/**/*.java", true);
        assertTrue(p.couldMatchBelow("src"));
        assertTrue(p.couldMatchBelow("src/main"));
        assertTrue(p.couldMatchBelow("src/main/x/y"));
        assertFalse(p.couldMatchBelow("test"));
        assertFalse(p.couldMatchBelow("src/test"));
        assertFalse(AntPattern.compile("*.txt", true).couldMatchBelow("docs"));
        assertTrue(AntPattern.compile("docs/*.txt", true).couldMatchBelow("docs"));
        assertFalse(AntPattern.compile("docs/*.txt", true).couldMatchBelow("docs/sub"));
    }

    @Test
    void matchesEverythingBelowOnlyForTrailingDoubleStar() {
        assertTrue(AntPattern.compile("**/.git/**", true).matchesEverythingBelow("sub/.git"));
        assertTrue(AntPattern.compile("**/.git/**", true).matchesEverythingBelow(".git"));
        assertFalse(AntPattern.compile("**/.git", true).matchesEverythingBelow(".git"));
        assertFalse(AntPattern.compile("**/.git/**", true).matchesEverythingBelow("src"));
    }

    @Test
    void fileSelectorAppliesDefaultExcludesOnlyWhenAsked() {
        FileSelector with = FileSelector.of(null, null, true, true);
        FileSelector without = FileSelector.of("", null, false, true);
        for (String path : List.of(".git/config", "sub/.git/HEAD", "a/.gitignore", "notes.txt~", "#x#", ".#lock",
                "%y%", "._res", "CVS/Entries", "x/.svn/entries", ".DS_Store", ".hg/store", ".hgtags", ".bzr/x",
                ".bzrignore", "vssver.scc", ".cvsignore", "SCCS/s.file", ".gitmodules", ".gitattributes",
                ".hgignore", ".hgsub", ".hgsubstate")) {
            assertFalse(with.isSelected(path), path + " should be a default exclude");
            assertTrue(without.isSelected(path), path + " should be taken without default excludes");
        }
        assertTrue(with.isSelected("src/Main.java"));
        assertTrue(with.isSelected(".github/workflows/ci.yml"));
        assertFalse(with.shouldDescend(".git"));
        assertTrue(without.shouldDescend(".git"));
    }

    @Test
    void fileSelectorExcludesWinOverIncludes() {
        FileSelector s = FileSelector.of("**/*.jar, docs/", "**/*-sources.jar", false, true);
        assertTrue(s.isSelected("target/app.jar"));
        assertFalse(s.isSelected("target/app-sources.jar"));
        assertTrue(s.isSelected("docs/index.html"));
        assertFalse(s.isSelected("README.md"));
        assertTrue(s.shouldDescend("target"));
        assertTrue(s.shouldDescend("docs"));
        FileSelector narrow = FileSelector.of("target/*.jar", "", false, true);
        assertFalse(narrow.shouldDescend("src"));
    }
}
