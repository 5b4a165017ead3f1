package dev.gantry.engine.workspace;

import dev.gantry.api.workspace.FileSelection;
import java.util.List;

/**
 * Decides which relative paths a {@link FileSelection} takes: comma-separated Ant include and
 * exclude patterns plus, optionally, Ant's default excludes (version control metadata, editor
 * backups). Also tells a directory walk which subtrees it can skip. Public because the agent
 * selects files with the same rules. Immutable and thread-safe.
 */
public final class FileSelector {
    /** Ant's default excludes, as Ant 1.10 and Jenkins apply them. */
    public static final List<String> DEFAULT_EXCLUDES = List.of(
            "**/*~", "**/#*#", "**/.#*", "**/%*%", "**/._*",
            "**/CVS", "**/CVS/**", "**/.cvsignore",
            "**/SCCS", "**/SCCS/**", "**/vssver.scc",
            "**/.svn", "**/.svn/**", "**/.DS_Store",
            "**/.git", "**/.git/**", "**/.gitattributes", "**/.gitignore", "**/.gitmodules",
            "**/.hg", "**/.hg/**", "**/.hgignore", "**/.hgsub", "**/.hgsubstate", "**/.hgtags",
            "**/.bzr", "**/.bzr/**", "**/.bzrignore");

    private final List<AntPattern> includes;
    private final List<AntPattern> excludes;

    private FileSelector(List<AntPattern> includes, List<AntPattern> excludes) {
        this.includes = includes;
        this.excludes = excludes;
    }

    /**
     * A selector for comma-separated patterns.
     *
     * @param includes files to take; null or blank means every file
     * @param excludes files to leave out; may be null
     * @param useDefaultExcludes whether {@link #DEFAULT_EXCLUDES} are left out too
     * @param caseSensitive whether patterns compare letters exactly
     */
    public static FileSelector of(String includes, String excludes, boolean useDefaultExcludes, boolean caseSensitive) {
        List<AntPattern> inc = AntPattern.compileList(includes, caseSensitive);
        if (inc.isEmpty()) {
            inc = List.of(AntPattern.compile("**", caseSensitive));
        }
        List<AntPattern> exc = new java.util.ArrayList<>(AntPattern.compileList(excludes, caseSensitive));
        if (useDefaultExcludes) {
            for (String p : DEFAULT_EXCLUDES) {
                exc.add(AntPattern.compile(p, caseSensitive));
            }
        }
        return new FileSelector(List.copyOf(inc), List.copyOf(exc));
    }

    /** A case-sensitive selector for {@code selection}. */
    public static FileSelector of(FileSelection selection) {
        return of(selection.includes(), selection.excludes(), selection.useDefaultExcludes(), true);
    }

    /** Whether the file at relative path {@code path} ({@code /}-separated) is selected. */
    public boolean isSelected(String path) {
        boolean included = false;
        for (AntPattern p : includes) {
            if (p.matches(path)) {
                included = true;
                break;
            }
        }
        if (!included) {
            return false;
        }
        for (AntPattern p : excludes) {
            if (p.matches(path)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a walk needs to enter the directory {@code dir} (relative, {@code /}-separated):
     * false when no include can match below it or an exclude removes everything below it.
     */
    public boolean shouldDescend(String dir) {
        for (AntPattern p : excludes) {
            if (p.matchesEverythingBelow(dir)) {
                return false;
            }
        }
        for (AntPattern p : includes) {
            if (p.couldMatchBelow(dir)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "includes " + includes + ", excludes " + excludes;
    }
}
