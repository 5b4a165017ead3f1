package dev.gantry.engine.web.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a log line at its ANSI escape sequences into runs of plain text with the CSS classes
 * their SGR colours and styles stand for ({@code a-f1} red foreground, {@code a-b} bold, ...).
 * Other escape sequences (cursor moves, OSC titles) are dropped. The text of a run is never
 * interpreted: the templates escape it. ui.js does the same for lines that arrive live.
 */
public final class Ansi {
    private Ansi() {
    }

    /** A run of text and its classes ("" for none). */
    public record Span(String cls, String text) {
    }

    /** The runs of {@code line}; text with no escapes is one run without classes. */
    public static List<Span> spans(String line) {
        if (line.indexOf('\u001b') < 0) {
            return List.of(new Span("", line));
        }
        List<Span> out = new ArrayList<>();
        State st = new State();
        StringBuilder text = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c != '\u001b') {
                text.append(c);
                i++;
                continue;
            }
            if (i + 1 < n && line.charAt(i + 1) == '[') {
                int j = i + 2;
                while (j < n && (line.charAt(j) < '@' || line.charAt(j) > '~')) {
                    j++;
                }
                if (j >= n) {
                    i = n;
                    break;
                }
                if (line.charAt(j) == 'm') {
                    flush(out, text, st);
                    st.apply(line.substring(i + 2, j));
                }
                i = j + 1;
            } else if (i + 1 < n && line.charAt(i + 1) == ']') {
                int j = i + 2;
                while (j < n && line.charAt(j) != '\u0007' && !(line.charAt(j) == '\u001b' && j + 1 < n && line.charAt(j + 1) == '\\')) {
                    j++;
                }
                i = j >= n ? n : line.charAt(j) == '\u0007' ? j + 1 : j + 2;
            } else {
                i += 2;
            }
        }
        flush(out, text, st);
        return out;
    }

    private static void flush(List<Span> out, StringBuilder text, State st) {
        if (text.length() > 0) {
            out.add(new Span(st.classes(), text.toString()));
            text.setLength(0);
        }
    }

    private static final class State {
        int fg = -1;
        int bg = -1;
        boolean bold;
        boolean italic;
        boolean underline;

        void apply(String params) {
            String[] ps = params.isEmpty() ? new String[] {"0"} : params.split(";", -1);
            for (int k = 0; k < ps.length; k++) {
                int p;
                try {
                    p = ps[k].isEmpty() ? 0 : Integer.parseInt(ps[k]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (p == 0) {
                    fg = -1;
                    bg = -1;
                    bold = false;
                    italic = false;
                    underline = false;
                } else if (p == 1) {
                    bold = true;
                } else if (p == 3) {
                    italic = true;
                } else if (p == 4) {
                    underline = true;
                } else if (p == 22) {
                    bold = false;
                } else if (p == 23) {
                    italic = false;
                } else if (p == 24) {
                    underline = false;
                } else if (p >= 30 && p <= 37) {
                    fg = p - 30;
                } else if (p >= 90 && p <= 97) {
                    fg = p - 90 + 8;
                } else if (p == 39) {
                    fg = -1;
                } else if (p >= 40 && p <= 47) {
                    bg = p - 40;
                } else if (p >= 100 && p <= 107) {
                    bg = p - 100 + 8;
                } else if (p == 49) {
                    bg = -1;
                } else if (p == 38 || p == 48) {
                    // 256-colour and true-colour forms: skipped with their arguments
                    if (k + 1 < ps.length && ps[k + 1].equals("5")) {
                        k += 2;
                    } else if (k + 1 < ps.length && ps[k + 1].equals("2")) {
                        k += 4;
                    }
                }
            }
        }

        String classes() {
            StringBuilder b = new StringBuilder();
            if (fg >= 0) {
                b.append("a-f").append(fg);
            }
            if (bg >= 0) {
                b.append(b.length() > 0 ? " " : "").append("a-g").append(bg);
            }
            if (bold) {
                b.append(b.length() > 0 ? " " : "").append("a-b");
            }
            if (italic) {
                b.append(b.length() > 0 ? " " : "").append("a-i");
            }
            if (underline) {
                b.append(b.length() > 0 ? " " : "").append("a-u");
            }
            return b.toString();
        }
    }
}
