package dev.gantry.plugins.notify;

import dev.gantry.api.notify.BuildEvent;
import java.util.Map;

/** A notification rule's settings, read with messages that name the notifier and the setting. */
final class Settings {
    private final String notifier;
    private final Map<String, Object> values;

    Settings(String notifier, Map<String, Object> values) {
        this.notifier = notifier;
        this.values = values == null ? Map.of() : values;
    }

    /** A text setting, or null; a list is joined with commas (recipients). */
    String string(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Iterable<?> list) {
            StringBuilder sb = new StringBuilder();
            for (Object o : list) {
                sb.append(sb.isEmpty() ? "" : ",").append(o);
            }
            return sb.toString();
        }
        if (v instanceof Map<?, ?>) {
            throw new IllegalArgumentException("the " + notifier + " notifier's setting '" + name + "' must be text, not a map");
        }
        String s = v.toString();
        return s.isBlank() ? null : s;
    }

    /** A text setting that must be there. */
    String required(String name, String what) {
        String s = string(name);
        if (s == null) {
            throw new IllegalArgumentException("the " + notifier + " notifier needs the setting '" + name + "' (" + what + ")");
        }
        return s;
    }

    Object raw(String name) {
        return values.get(name);
    }

    /** The default one-line text of a build notification: {@code FAILURE: team/api #12 (regression) after 1 min 3 s: <url>}. */
    static String text(BuildEvent e) {
        String what = e.isFixed() ? " (fixed)" : e.isRegression() ? " (regression)" : "";
        long s = e.durationMillis() / 1000;
        String took = s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
        return e.result() + ": " + e.job() + " #" + e.number() + what + " after " + took + (e.url() == null ? "" : ": " + e.url());
    }
}
