package dev.gantry.engine.run;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds secret values in log bytes with an Aho-Corasick automaton over their UTF-8 bytes and
 * replaces each occurrence (overlapping ones merged) with {@code ****}. A multi-line secret is
 * matched as a whole and line by line, since the log arrives in lines. Immutable and thread-safe;
 * {@link #with} makes a new masker with more secrets.
 */
final class SecretMasker {
    static final byte[] MASK = "****".getBytes(StandardCharsets.US_ASCII);
    static final SecretMasker EMPTY = new SecretMasker(Set.of());

    private final Set<String> patterns;
    private final int longest;
    // Node 0 is the root; per node: transitions, failure link, and the longest pattern ending there.
    private final int[] fail;
    private final int[] out;
    /**
     * The trie as arrays, for the scan (every byte of every log line passes it): the root's
     * transitions as a table of all 256 bytes (0: none, stay at the root), where a scan spends
     * nearly all its time; other nodes' as parallel arrays of bytes and targets (a few each; the
     * root's entries there stay null).
     */
    private final int[] rootNext = new int[256];
    private final byte[][] keys;
    private final int[][] targets;

    private SecretMasker(Set<String> patterns) {
        this.patterns = patterns;
        // Built with maps, then kept as arrays (below).
        List<Map<Byte, Integer>> next = new ArrayList<>();
        next.add(new HashMap<>());
        List<Integer> outs = new ArrayList<>();
        outs.add(0);
        int max = 0;
        for (String p : patterns) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            max = Math.max(max, b.length);
            int node = 0;
            for (byte x : b) {
                Integer n = next.get(node).get(x);
                if (n == null) {
                    n = next.size();
                    next.add(new HashMap<>());
                    outs.add(0);
                    next.get(node).put(x, n);
                }
                node = n;
            }
            outs.set(node, Math.max(outs.get(node), b.length));
        }
        this.longest = max;
        this.fail = new int[next.size()];
        this.out = outs.stream().mapToInt(Integer::intValue).toArray();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int child : next.get(0).values()) {
            queue.add(child);
        }
        while (!queue.isEmpty()) {
            int node = queue.poll();
            for (Map.Entry<Byte, Integer> e : next.get(node).entrySet()) {
                int child = e.getValue();
                int f = fail[node];
                while (f != 0 && !next.get(f).containsKey(e.getKey())) {
                    f = fail[f];
                }
                Integer target = next.get(f).get(e.getKey());
                fail[child] = target != null && target != child ? target : 0;
                out[child] = Math.max(out[child], out[fail[child]]);
                queue.add(child);
            }
        }
        next.get(0).forEach((x, child) -> rootNext[x & 0xff] = child);
        this.keys = new byte[next.size()][];
        this.targets = new int[next.size()][];
        for (int node = 1; node < next.size(); node++) {
            Map<Byte, Integer> t = next.get(node);
            keys[node] = new byte[t.size()];
            targets[node] = new int[t.size()];
            int i = 0;
            for (Map.Entry<Byte, Integer> e : t.entrySet()) {
                keys[node][i] = e.getKey();
                targets[node][i] = e.getValue();
                i++;
            }
        }
    }

    /** The node after {@code node} on byte {@code x}; -1 when it has no such transition (the root: 0). */
    private int step(int node, byte x) {
        if (node == 0) {
            return rootNext[x & 0xff];
        }
        byte[] k = keys[node];
        for (int i = 0; i < k.length; i++) {
            if (k[i] == x) {
                return targets[node][i];
            }
        }
        return -1;
    }

    /** A masker for these secrets and their lines; blank values are ignored. */
    SecretMasker with(java.util.Collection<String> secrets) {
        Set<String> all = new LinkedHashSet<>(patterns);
        for (String s : secrets) {
            if (s == null || s.isBlank()) {
                continue;
            }
            all.add(s);
            if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                for (String line : s.split("\r?\n|\r")) {
                    if (!line.isBlank()) {
                        all.add(line);
                    }
                }
            }
        }
        return all.size() == patterns.size() ? this : new SecretMasker(Set.copyOf(all));
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** The byte length of the longest secret: how much a stream must hold back to see one split across chunks. */
    int longest() {
        return longest;
    }

    boolean contains(String text) {
        if (isEmpty() || text == null) {
            return false;
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return !matches(b, 0, b.length).isEmpty();
    }

    /** The text with every secret replaced. */
    String mask(String text) {
        if (isEmpty() || text == null) {
            return text;
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        Masked m = mask(b, 0, b.length, b.length);
        return m.unchanged() ? text : new String(m.bytes(), m.offset(), m.length(), StandardCharsets.UTF_8);
    }

    /**
     * Matches as [start, end) intervals, merged where they overlap or touch, in order.
     */
    private List<int[]> matches(byte[] b, int off, int len) {
        List<int[]> found = List.of();
        int node = 0;
        for (int i = off; i < off + len; i++) {
            byte x = b[i];
            int n;
            while ((n = step(node, x)) < 0) {
                node = fail[node];
            }
            node = n;
            if (out[node] > 0) {
                int start = i + 1 - out[node];
                int end = i + 1;
                if (found.isEmpty()) {
                    found = new ArrayList<>();
                }
                // A match overlapping (or touching) earlier ones joins them into one run; a long
                // match can start inside a match before the last one, so join back as far as needed.
                int[] run = {start, end};
                while (!found.isEmpty() && found.get(found.size() - 1)[1] >= run[0]) {
                    int[] last = found.remove(found.size() - 1);
                    run[0] = Math.min(run[0], last[0]);
                    run[1] = Math.max(run[1], last[1]);
                }
                found.add(run);
            }
        }
        return found;
    }

    /**
     * Masks {@code b[off, off+len)}, of which only the first {@code emitLimit} bytes may be
     * emitted now: a match must lie entirely before the limit to be replaced there, and
     * {@link Masked#consumed} tells how many input bytes the output covers (the rest is to be
     * held back and masked with what follows). With {@code emitLimit == len} everything is emitted.
     */
    Masked mask(byte[] b, int off, int len, int emitLimit) {
        List<int[]> found = matches(b, off, len);
        int limit = off + emitLimit;
        // A match that reaches past the limit pulls the limit back to its start: it is emitted later, whole.
        for (int[] m : found) {
            if (m[0] < limit && m[1] > limit) {
                limit = m[0];
            }
        }
        if (found.isEmpty()) {
            return new Masked(b, off, limit - off, limit - off, true);
        }
        byte[] dst = new byte[len + found.size() * MASK.length];
        int w = 0;
        int r = off;
        for (int[] m : found) {
            if (m[1] > limit) {
                break;
            }
            System.arraycopy(b, r, dst, w, m[0] - r);
            w += m[0] - r;
            System.arraycopy(MASK, 0, dst, w, MASK.length);
            w += MASK.length;
            r = m[1];
        }
        System.arraycopy(b, r, dst, w, limit - r);
        w += limit - r;
        return new Masked(dst, 0, w, limit - off, false);
    }

    /** Output of {@link #mask(byte[], int, int, int)}: {@code bytes[offset, offset+length)}, covering {@code consumed} input bytes. */
    record Masked(byte[] bytes, int offset, int length, int consumed, boolean unchanged) {
    }

    /** For tests and messages: how many patterns (secrets and their lines). */
    int size() {
        return patterns.size();
    }

    @Override
    public String toString() {
        return "SecretMasker[" + patterns.size() + " patterns, longest " + longest + " bytes]";
    }
}
