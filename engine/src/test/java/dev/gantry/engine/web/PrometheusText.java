package dev.gantry.engine.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict reader of the Prometheus text format 0.0.4, for tests: fails on any malformed line. */
public final class PrometheusText {
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (?:[^\\\\\\n]|\\\\[\\\\n])*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\n\"])*\"(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\n\"])*\")*\\})? (NaN|[+-]Inf|-?[0-9]+(?:\\.[0-9]+)?(?:E-?[0-9]+)?)");

    private PrometheusText() {
    }

    /**
     * @return the metric families and their types
     * @throws AssertionError for a malformed line or a sample of an undeclared family
     */
    public static Map<String, String> parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("exposition does not end with a newline");
        }
        for (String line : text.split("\n")) {
            Matcher t = TYPE.matcher(line);
            if (t.matches()) {
                types.put(t.group(1), t.group(2));
                continue;
            }
            if (HELP.matcher(line).matches()) {
                continue;
            }
            Matcher s = SAMPLE.matcher(line);
            if (!s.matches()) {
                throw new AssertionError("malformed line: " + line);
            }
            String name = s.group(1);
            String family = name.replaceFirst("_(bucket|sum|count)$", "");
            if (!types.containsKey(name) && !"histogram".equals(types.get(family))) {
                throw new AssertionError("sample of an undeclared family: " + line);
            }
        }
        return types;
    }
}
