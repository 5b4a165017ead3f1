package dev.gantry.engine.pipeline;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for misspelled names: the closest candidate by Damerau-Levenshtein distance
 * (optimal string alignment), ignoring case. Used by the linter and by the runtime so that both
 * suggest the same thing.
 */
public final class Suggestions {
    private Suggestions() {
    }

    /**
     * The candidate closest to {@code input}, if it is within {@code max(1, length / 3)} edits
     * (length of {@code input}); among equally close candidates, the first in iteration order.
     * A candidate equal to {@code input} ignoring case is returned as is.
     *
     * @param input the name as written; null gives empty
     * @param candidates the valid names; null elements are ignored
     * @return the suggestion, or empty when none is close enough
     */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        if (input == null || input.isEmpty() || candidates == null) {
            return Optional.empty();
        }
        String in = input.toLowerCase(Locale.ROOT);
        int threshold = Math.max(1, in.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            if (candidate == null) {
                continue;
            }
            String c = candidate.toLowerCase(Locale.ROOT);
            if (Math.abs(c.length() - in.length()) > threshold) {
                continue;
            }
            int d = distance(in, c, threshold);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= threshold ? Optional.of(best) : Optional.empty();
    }

    /** "; did you mean 'x'?" or "" when nothing is close: for appending to a message. */
    static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /** Optimal string alignment distance; gives up (returns limit + 1) once every cell of a row exceeds limit. */
    static int distance(String a, String b, int limit) {
        int n = a.length();
        int m = b.length();
        int[] prev2 = new int[m + 1];
        int[] prev = new int[m + 1];
        int[] cur = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, prev2[j - 2] + 1);
                }
                cur[j] = v;
                rowMin = Math.min(rowMin, v);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] t = prev2;
            prev2 = prev;
            prev = cur;
            cur = t;
        }
        return prev[m];
    }
}
