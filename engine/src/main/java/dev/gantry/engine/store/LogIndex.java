package dev.gantry.engine.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The index of one build's log ({@code log.index} beside {@code log}): which stages and steps
 * the build ran, when, how they ended, and which byte ranges of the log each one wrote. It lets a
 * reader serve one step's log by reading only that step's bytes, and keeps the step tree out of
 * the database. The file is append-only text, one record per line (see docs/server.md):
 *
 * <pre>
 * gantry-log-index 1
 * N ref kind id parent stage startMillis name   a node: kind "stage" or "step"; parent and stage are refs or "-"
 * R ref start end                                bytes [start, end) of the log belong to node ref
 * E ref status durationMillis                    node ref ended
 * </pre>
 *
 * Refs are small numbers local to the file; ids and names are percent-encoded (bytes outside
 * {@code !..~}, and {@code %}). R records appear in ascending log order and never overlap.
 * Readers skip lines they do not know and an unterminated last line (a write cut short), so a
 * later format can add records. Instances are immutable snapshots.
 */
public final class LogIndex {
    static final String HEADER = "gantry-log-index 1";
    private final List<Node> nodes;
    private final Map<String, Node> byId;
    private final Map<Integer, List<long[]>> ranges;
    private final boolean endsCleanly;

    /** What a node is. */
    public enum Kind { STAGE, STEP }

    /**
     * A stage or step as indexed.
     *
     * @param id the step's deterministic call id ({@code stage[Build]/2}) or the stage's id ({@code s3})
     * @param name the step's function name or the stage's name
     * @param parent the enclosing step's id, else the enclosing stage's id, or null at the top
     * @param stage the innermost stage's id, or null
     * @param status null while running; a result name (SUCCESS, FAILURE, ABORTED ...) or for
     *     stages also SKIPPED, NOT_EXECUTED
     * @param durationMillis -1 while running
     * @param bytes bytes of the log written by this node itself (not its children)
     */
    public record Node(int ref, Kind kind, String id, String name, String parent, String stage, long startMillis,
                       String status, long durationMillis, long bytes) {
    }

    /** A byte range {@code [start, end)} of the log. */
    public record Range(long start, long end) {
        public long length() {
            return end - start;
        }
    }

    private LogIndex(List<Node> nodes, Map<Integer, List<long[]>> ranges, boolean endsCleanly) {
        this.nodes = Collections.unmodifiableList(nodes);
        this.ranges = ranges;
        this.endsCleanly = endsCleanly;
        this.byId = new HashMap<>();
        for (Node n : nodes) {
            byId.putIfAbsent(n.id(), n);
        }
    }

    /** An index with nothing in it (a build that has not written one). */
    public static LogIndex empty() {
        return new LogIndex(new ArrayList<>(), new HashMap<>(), true);
    }

    /** Every node in the order it started. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The node with {@code id}, if indexed. */
    public Optional<Node> node(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * The log ranges of node {@code id} and of every node inside it (the steps of a stage, the
     * steps in a block step's body, nested stages), ascending, adjacent ranges merged. Empty when
     * the node is unknown or wrote nothing. Costs O(records of the index), not O(log size).
     */
    public List<Range> ranges(String id) {
        Node root = byId.get(id);
        if (root == null) {
            return List.of();
        }
        Map<Integer, Node> byRef = new HashMap<>();
        Map<String, Node> ids = new HashMap<>();
        for (Node n : nodes) {
            byRef.put(n.ref(), n);
            ids.putIfAbsent(n.id(), n);
        }
        List<Integer> inside = new ArrayList<>();
        for (Node n : nodes) {
            if (within(n, root, ids)) {
                inside.add(n.ref());
            }
        }
        List<long[]> all = new ArrayList<>();
        for (int ref : inside) {
            all.addAll(ranges.getOrDefault(ref, List.of()));
        }
        all.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Range> merged = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (long[] r : all) {
            if (start >= 0 && r[0] == end) {
                end = r[1];
                continue;
            }
            if (start >= 0) {
                merged.add(new Range(start, end));
            }
            start = r[0];
            end = r[1];
        }
        if (start >= 0) {
            merged.add(new Range(start, end));
        }
        return merged;
    }

    /** A byte range of the log and the node that wrote it. */
    public record Owned(long start, long end, Node node) {
    }

    /**
     * Every range of the log with the node that wrote it, ascending by start (for per-line
     * attribution, e.g. the time its step started). Costs O(records log records).
     */
    public List<Owned> owned() {
        Map<Integer, Node> byRef = new HashMap<>();
        for (Node n : nodes) {
            byRef.put(n.ref(), n);
        }
        List<Owned> out = new ArrayList<>();
        ranges.forEach((ref, list) -> {
            Node n = byRef.get(ref);
            if (n != null) {
                for (long[] r : list) {
                    out.add(new Owned(r[0], r[1], n));
                }
            }
        });
        out.sort((a, b) -> Long.compare(a.start(), b.start()));
        return out;
    }

    private static boolean within(Node n, Node root, Map<String, Node> ids) {
        // Walks up both links (enclosing step and stage); a build's tree is shallow.
        List<Node> todo = new ArrayList<>();
        todo.add(n);
        for (int guard = 0; !todo.isEmpty() && guard < 10_000; guard++) {
            Node x = todo.remove(todo.size() - 1);
            if (x.ref() == root.ref()) {
                return true;
            }
            if (x.parent() != null && ids.get(x.parent()) != null) {
                todo.add(ids.get(x.parent()));
            }
            if (x.stage() != null && !x.stage().equals(x.parent()) && !x.stage().equals(x.id()) && ids.get(x.stage()) != null) {
                todo.add(ids.get(x.stage()));
            }
        }
        return false;
    }

    /**
     * Reads an index. Unknown and malformed lines and a cut-short last line are skipped.
     *
     * @throws IOException when the stream cannot be read
     */
    public static LogIndex read(InputStream in) throws IOException {
        List<Node> nodes = new ArrayList<>();
        Map<Integer, Node> byRef = new LinkedHashMap<>();
        Map<Integer, List<long[]>> ranges = new HashMap<>();
        Map<Integer, Long> bytes = new HashMap<>();
        byte[] buf = new byte[64 * 1024];
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        boolean clean;
        for (int n; (n = in.read(buf)) > 0; ) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    line.write(buf, start, i - start);
                    parse(line.toString(StandardCharsets.US_ASCII), byRef, ranges, bytes);
                    line.reset();
                    start = i + 1;
                }
            }
            line.write(buf, start, n - start);
        }
        clean = line.size() == 0;
        Map<Integer, String> idOf = new HashMap<>();
        for (Node x : byRef.values()) {
            idOf.put(x.ref(), x.id());
        }
        for (Node x : byRef.values()) {
            nodes.add(new Node(x.ref(), x.kind(), x.id(), x.name(), x.parent() == null ? null : idOf.get(Integer.parseInt(x.parent())),
                    x.stage() == null ? null : idOf.get(Integer.parseInt(x.stage())), x.startMillis(), x.status(), x.durationMillis(),
                    bytes.getOrDefault(x.ref(), 0L)));
        }
        return new LogIndex(nodes, ranges, clean);
    }

    private static void parse(String line, Map<Integer, Node> byRef, Map<Integer, List<long[]>> ranges, Map<Integer, Long> bytes) {
        String[] f = line.split(" ", -1);
        try {
            switch (f[0]) {
                case "R" -> {
                    if (f.length < 4) {
                        return;
                    }
                    int ref = Integer.parseInt(f[1]);
                    long s = Long.parseLong(f[2]);
                    long e = Long.parseLong(f[3]);
                    if (!byRef.containsKey(ref) || s < 0 || e <= s) {
                        return;
                    }
                    List<long[]> list = ranges.computeIfAbsent(ref, k -> new ArrayList<>());
                    if (!list.isEmpty() && list.get(list.size() - 1)[1] == s) {
                        list.get(list.size() - 1)[1] = e;
                    } else {
                        list.add(new long[] {s, e});
                    }
                    bytes.merge(ref, e - s, Long::sum);
                }
                case "N" -> {
                    if (f.length < 8) {
                        return;
                    }
                    int ref = Integer.parseInt(f[1]);
                    Kind kind = "stage".equals(f[2]) ? Kind.STAGE : Kind.STEP;
                    String parent = "-".equals(f[4]) ? null : Integer.toString(Integer.parseInt(f[4]));
                    String stage = "-".equals(f[5]) ? null : Integer.toString(Integer.parseInt(f[5]));
                    byRef.putIfAbsent(ref, new Node(ref, kind, decode(f[3]), decode(f[7]), parent, stage, Long.parseLong(f[6]), null, -1, 0));
                }
                case "E" -> {
                    if (f.length < 4) {
                        return;
                    }
                    int ref = Integer.parseInt(f[1]);
                    Node x = byRef.get(ref);
                    if (x != null && x.status() == null) {
                        byRef.put(ref, new Node(ref, x.kind(), x.id(), x.name(), x.parent(), x.stage(), x.startMillis(),
                                decode(f[2]), Long.parseLong(f[3]), 0));
                    }
                }
                default -> {
                    // the header, or a record of a later format
                }
            }
        } catch (RuntimeException e) {
            // a malformed record (a torn write after a crash) says nothing; the rest still counts
        }
    }

    static String encode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(b.length);
        for (byte x : b) {
            int c = x & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.length() == 0 ? "%" : sb.toString();
    }

    static String decode(String s) {
        if ("%".equals(s)) {
            return "";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s, i + 1, i + 3, 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Appends records to an index file as a build writes its log. Ranges are kept open in memory
     * while the same node keeps writing and written out as one record when another node writes
     * or on {@link #commit()}, so a log written by one step holds a handful of records whatever
     * its size. Thread-safe.
     */
    public static final class Writer {
        private final OutputStream out;
        private final StringBuilder pending = new StringBuilder();
        private final Map<String, Integer> refs = new HashMap<>();
        private final Map<Integer, Integer> stageOf = new HashMap<>();
        private int nextRef = 1;
        private int openRef;
        /** The id of {@link #openRef}: a node's next line usually continues its open range, found without a lookup. */
        private String openId;
        private long openStart;
        private long openEnd;

        /**
         * @param out the index file, positioned at its end
         * @param existing what the file holds already (numbering continues after it), or
         *     {@link LogIndex#empty()} for a new file, which gets the header
         */
        public Writer(OutputStream out, LogIndex existing) {
            this.out = out;
            if (existing.nodes.isEmpty() && existing.endsCleanly) {
                pending.append(HEADER).append('\n');
            } else if (!existing.endsCleanly) {
                pending.append('\n');
            }
            for (Node n : existing.nodes) {
                refs.putIfAbsent(n.id(), n.ref());
                nextRef = Math.max(nextRef, n.ref() + 1);
            }
        }

        /** A stage started. */
        public synchronized void stage(String id, String name, String parentStageId, long startMillis) {
            declare(Kind.STAGE, id, name, parentStageId == null ? 0 : ref(parentStageId), parentStageId == null ? 0 : ref(parentStageId), startMillis);
        }

        /**
         * A step call started. Its enclosing step is found from its id: the ids of the steps in a
         * body start with the id of the step that owns the body ({@code 3/0} inside {@code 3},
         * {@code 3#2/0} in its second run, {@code 3[a]/0} in its branch {@code a}).
         */
        public synchronized void step(String id, String name, String stageId, long startMillis) {
            int stage = stageId == null ? 0 : ref(stageId);
            int parent = enclosingStep(id);
            declare(Kind.STEP, id, name, parent != 0 ? parent : stage, stage, startMillis);
        }

        private int enclosingStep(String id) {
            String scope = id;
            while (true) {
                int slash = scope.lastIndexOf('/');
                if (slash <= 0) {
                    return 0;
                }
                // The body scope ("3", "3#2", "3[a]"); without its run or branch suffix, the owner's id.
                scope = scope.substring(0, slash);
                Integer ref = refs.get(scope.replaceFirst("(#\\d+|\\[[^\\[\\]]*\\])$", ""));
                if (ref != null && !stageOf.containsKey(ref)) {
                    return ref;
                }
            }
        }

        private void declare(Kind kind, String id, String name, int parent, int stage, long startMillis) {
            if (refs.containsKey(id)) {
                return;
            }
            int ref = nextRef++;
            refs.put(id, ref);
            if (kind == Kind.STAGE) {
                stageOf.put(ref, ref);
            }
            pending.append("N ").append(ref).append(' ').append(kind == Kind.STAGE ? "stage" : "step").append(' ').append(encode(id))
                    .append(' ').append(parent == 0 ? "-" : Integer.toString(parent)).append(' ').append(stage == 0 ? "-" : Integer.toString(stage))
                    .append(' ').append(startMillis).append(' ').append(encode(name == null ? "" : name)).append('\n');
        }

        private int ref(String id) {
            Integer r = refs.get(id);
            if (r == null) {
                // Output of a node that was never announced: index it anyway, under its id.
                declare(id.matches("s\\d+") ? Kind.STAGE : Kind.STEP, id, id, 0, 0, System.currentTimeMillis());
                r = refs.get(id);
            }
            return r;
        }

        /** A node ended. */
        public synchronized void end(String id, String status, long durationMillis) {
            Integer r = refs.get(id);
            if (r != null) {
                pending.append("E ").append(r).append(' ').append(encode(status)).append(' ').append(durationMillis).append('\n');
            }
        }

        /**
         * Bytes {@code [start, end)} of the log were written by node {@code id} (a stage's own
         * lines, or a step's). Consecutive ranges of one node are joined in memory.
         */
        public synchronized void range(String id, long start, long end) {
            if (end <= start) {
                return;
            }
            if (start == openEnd && openRef != 0 && (id == openId || id.equals(openId))) {
                openEnd = end; // an id keeps its ref for good
                return;
            }
            int r = ref(id);
            openId = id;
            if (r == openRef && start == openEnd) {
                openEnd = end;
                return;
            }
            closeOpen();
            openRef = r;
            openStart = start;
            openEnd = end;
        }

        private void closeOpen() {
            if (openRef != 0 && openEnd > openStart) {
                pending.append("R ").append(openRef).append(' ').append(openStart).append(' ').append(openEnd).append('\n');
            }
            openStart = openEnd;
        }

        /**
         * Writes every pending record, including the open range so far (it continues in a
         * new record), and flushes. Call it after the log itself was flushed, so that the index
         * never names bytes the log file does not have yet.
         *
         * @throws IOException when the index cannot be written; the records stay pending
         */
        public synchronized void commit() throws IOException {
            closeOpen();
            if (pending.length() > 0) {
                out.write(pending.toString().getBytes(StandardCharsets.US_ASCII));
                pending.setLength(0);
            }
            out.flush();
        }
    }
}
