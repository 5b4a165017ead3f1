package dev.gantry.engine.workspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One Ant-style path pattern ({@code src/**}{@code /*.java}): {@code *} and {@code ?} match within
 * one path segment, {@code **} matches any number of segments (zero included), a pattern ending in
 * {@code /} means {@code /**}, and {@code \} is read as {@code /}. Public because the agent selects
 * files the same way the engine does. Immutable and thread-safe.
 */
public final class AntPattern {
    private static final String DEEP = "**";

    private final String text;
    private final String[] segments;
    private final boolean caseSensitive;

    private AntPattern(String text, boolean caseSensitive) {
        String p = text.trim().replace('\\', '/');
        if (p.endsWith("/")) {
            p = p + DEEP;
        }
        this.text = p;
        this.segments = split(p);
        this.caseSensitive = caseSensitive;
    }

    /**
     * Compiles one pattern (not a comma-separated list).
     *
     * @throws IllegalArgumentException when {@code pattern} is null or blank
     */
    public static AntPattern compile(String pattern, boolean caseSensitive) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("an empty file pattern matches nothing; give a pattern such as **/*.jar");
        }
        return new AntPattern(pattern, caseSensitive);
    }

    /**
     * Compiles a comma-separated list of patterns, trimming each and skipping empty ones.
     *
     * @return the patterns; empty when {@code patterns} is null or blank
     */
    public static List<AntPattern> compileList(String patterns, boolean caseSensitive) {
        List<AntPattern> out = new ArrayList<>();
        if (patterns != null) {
            for (String p : patterns.split(",")) {
                if (!p.isBlank()) {
                    out.add(new AntPattern(p, caseSensitive));
                }
            }
        }
        return out;
    }

    /** The pattern as normalized ({@code /} separators, trailing {@code /} expanded). */
    public String pattern() {
        return text;
    }

    /** Whether the relative, {@code /}-separated {@code path} matches this pattern in full. */
    public boolean matches(String path) {
        return matchSegments(split(path), segments.length);
    }

    /**
     * Whether some path below the directory {@code dir} could match: false lets a directory walk
     * skip the whole tree. {@code ""} is the top directory, for which this is always true.
     */
    public boolean couldMatchBelow(String dir) {
        if (dir.isEmpty()) {
            return true;
        }
        String[] d = split(dir);
        // The directory's segments must be matchable by a prefix of the pattern, where a "**"
        // anywhere in that prefix can absorb the rest.
        int pi = 0;
        for (int di = 0; di < d.length; di++) {
            if (pi >= segments.length) {
                return false;
            }
            if (segments[pi].equals(DEEP)) {
                return true;
            }
            if (!matchSegment(segments[pi], d[di])) {
                return false;
            }
            pi++;
        }
        return pi < segments.length;
    }

    /**
     * Whether every path below the directory {@code dir} matches ({@code **}{@code /.git/**} and
     * {@code .git}): true lets an exclude prune the whole tree.
     */
    public boolean matchesEverythingBelow(String dir) {
        if (segments.length == 0 || !segments[segments.length - 1].equals(DEEP)) {
            return false;
        }
        return matchSegments(split(dir), segments.length - 1);
    }

    /** Matches {@code path} against the first {@code patternLength} pattern segments. */
    private boolean matchSegments(String[] path, int patternLength) {
        // reachable[j]: the first i pattern segments can consume the first j path segments.
        boolean[] reachable = new boolean[path.length + 1];
        reachable[0] = true;
        for (int i = 0; i < patternLength; i++) {
            String seg = segments[i];
            boolean[] next = new boolean[path.length + 1];
            if (seg.equals(DEEP)) {
                boolean any = false;
                for (int j = 0; j <= path.length; j++) {
                    any |= reachable[j];
                    next[j] = any;
                }
            } else {
                for (int j = 0; j < path.length; j++) {
                    if (reachable[j] && matchSegment(seg, path[j])) {
                        next[j + 1] = true;
                    }
                }
            }
            reachable = next;
        }
        return reachable[path.length];
    }

    /** Glob match of one segment: {@code *} any run of characters, {@code ?} one character. */
    private boolean matchSegment(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int mark = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || same(pattern.charAt(p), name.charAt(n)))) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private boolean same(char a, char b) {
        return a == b || !caseSensitive
                && (Character.toLowerCase(a) == Character.toLowerCase(b)
                || Character.toUpperCase(a) == Character.toUpperCase(b));
    }

    private static String[] split(String path) {
        if (path.isEmpty()) {
            return new String[0];
        }
        String[] parts = path.split("/", -1);
        // "a//b", "./a/b" and "a/b/" all mean "a/b": empty and "." segments carry no meaning.
        if (Arrays.stream(parts).anyMatch(s -> s.isEmpty() || s.equals("."))) {
            return Arrays.stream(parts).filter(s -> !s.isEmpty() && !s.equals(".")).toArray(String[]::new);
        }
        return parts;
    }

    @Override
    public String toString() {
        return text;
    }
}
