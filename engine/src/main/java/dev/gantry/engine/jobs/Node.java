package dev.gantry.engine.jobs;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value of a definition with its path ({@code parameters[1].type}) and, when it was read from a
 * file, its 1-based position (0 otherwise). Jackson's own trees drop positions, and every problem
 * in a definition file must name its line and column, so definitions are read into these.
 */
sealed interface Node {
    String path();

    int line();

    int column();

    /** A mapping; {@code keys} holds where each key was written. */
    record MapNode(String path, int line, int column, Map<String, Node> fields, Map<String, int[]> keys) implements Node {
    }

    record ListNode(String path, int line, int column, List<Node> items) implements Node {
    }

    /**
     * A scalar: String, Long, Double, Boolean, or null; {@code text} is how it was written (YAML's
     * {@code yes} is Boolean true written "yes").
     */
    record Scalar(String path, int line, int column, Object value, String text) implements Node {
    }

    /** The path of a field of {@code parent}. */
    static String child(String parent, String field) {
        return parent.isEmpty() ? field : parent + "." + field;
    }

    /** Reads the value the parser is at; duplicate keys are reported to {@code duplicates}. */
    static Node read(JsonParser p, String path, List<DefinitionProblem> duplicates, String file) throws IOException {
        JsonToken t = p.currentToken();
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> fields = new LinkedHashMap<>();
                Map<String, int[]> keys = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonLocation k = p.currentTokenLocation();
                    p.nextToken();
                    Node value = read(p, child(path, name), duplicates, file);
                    if (fields.containsKey(name)) {
                        duplicates.add(new DefinitionProblem(file, k.getLineNr(), k.getColumnNr(), null, child(path, name),
                                "duplicate field '" + name + "'; the first is at line " + keys.get(name)[0]));
                        continue;
                    }
                    fields.put(name, value);
                    keys.put(name, new int[] {k.getLineNr(), k.getColumnNr()});
                }
                return new MapNode(path, line, column, fields, keys);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, path + "[" + items.size() + "]", duplicates, file));
                }
                return new ListNode(path, line, column, items);
            }
            case VALUE_STRING -> {
                return new Scalar(path, line, column, p.getText(), p.getText());
            }
            case VALUE_NUMBER_INT -> {
                Object v = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) p.getBigIntegerValue() : (Object) p.getLongValue();
                return new Scalar(path, line, column, v, p.getText());
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Scalar(path, line, column, p.getDoubleValue(), p.getText());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Scalar(path, line, column, t == JsonToken.VALUE_TRUE, p.getText());
            }
            case VALUE_NULL -> {
                return new Scalar(path, line, column, null, p.getText());
            }
            default -> {
                return new Scalar(path, line, column, p.getText(), p.getText());
            }
        }
    }

    /** A value bound from a JSON request body (maps, lists, scalars), without positions. */
    static Node of(Object value, String path) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Node> fields = new LinkedHashMap<>();
            m.forEach((k, v) -> fields.put(String.valueOf(k), of(v, child(path, String.valueOf(k)))));
            return new MapNode(path, 0, 0, fields, Map.of());
        }
        if (value instanceof List<?> l) {
            List<Node> items = new ArrayList<>();
            for (Object o : l) {
                items.add(of(o, path + "[" + items.size() + "]"));
            }
            return new ListNode(path, 0, 0, items);
        }
        Object v = value instanceof Integer i ? (Object) i.longValue() : value;
        return new Scalar(path, 0, 0, v, String.valueOf(value));
    }

    /** What the node is, for messages: "the string 'x'", "a number", "a list". */
    static String describe(Node n) {
        if (n instanceof MapNode) {
            return "a mapping";
        }
        if (n instanceof ListNode) {
            return "a list";
        }
        Object v = ((Scalar) n).value();
        String text = ((Scalar) n).text();
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "the string '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (v instanceof Boolean) {
            return "the boolean " + text;
        }
        return "the number " + text;
    }
}
