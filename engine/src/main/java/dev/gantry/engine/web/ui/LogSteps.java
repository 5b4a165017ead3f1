package dev.gantry.engine.web.ui;

import dev.gantry.engine.store.LogIndex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which step wrote which part of a log, for the console's foldable step blocks: the same titles
 * on the server-rendered page and in the live stream ({@code .../log/stream?steps=true}), so that
 * lines arriving live join the block the page already shows. Stateless and thread-safe.
 */
public final class LogSteps {
    private LogSteps() {
    }

    /** What a block says of its step: {@code Stage › step}, or the stage's name for a stage's own lines. */
    public static String title(LogIndex index, LogIndex.Node n) {
        if (n.kind() == LogIndex.Kind.STAGE) {
            return n.name();
        }
        String stage = n.stage() == null ? null : index.node(n.stage()).map(LogIndex.Node::name).orElse(null);
        return stage == null ? n.name() : stage + " › " + n.name();
    }

    /**
     * The owners of bytes {@code [from, to)} of the log, in order: each a map with {@code start}
     * (the first byte it owns in the range), {@code id} (the step's or stage's id, null for bytes
     * no step wrote, such as the controller's own lines), {@code title} and {@code status}
     * (null while it runs). A line belongs to the last segment that starts at or before it.
     */
    public static List<Map<String, Object>> segments(LogIndex index, long from, long to) {
        List<Map<String, Object>> out = new ArrayList<>();
        long at = from;
        for (LogIndex.Owned o : index.owned()) {
            if (o.end() <= from || o.start() >= to) {
                continue;
            }
            long start = Math.max(from, o.start());
            if (start > at) {
                out.add(segment(at, null, null, null));
            }
            if (!out.isEmpty() && o.node().id().equals(out.get(out.size() - 1).get("id"))) {
                at = Math.min(to, o.end());
                continue; // the same step again: one segment
            }
            out.add(segment(start, o.node().id(), title(index, o.node()), o.node().status()));
            at = Math.min(to, o.end());
        }
        if (at < to) {
            out.add(segment(at, null, null, null));
        }
        return out;
    }

    private static Map<String, Object> segment(long start, String id, String title, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", start);
        m.put("id", id);
        m.put("title", title);
        m.put("status", status);
        return m;
    }
}
