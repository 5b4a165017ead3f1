package dev.gantry.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.api.step.StepFailedException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values a journal keeps: null, strings (a GString becomes its text), booleans, numbers
 * (Integer, Long, Double, Float, BigInteger, BigDecimal, kept with their type), and lists and maps
 * with string keys of those. A map subclass ({@code DownstreamRun}) is kept as a plain map, a set
 * or array as a list. Anything else cannot outlive the controller's process, so it is refused when
 * the step returns it, naming the step and where in the value it sits.
 *
 * <p>Encoded as JSON; numbers other than Integer and Double, and maps that happen to have the
 * key {@code "@t"}, are tagged ({@code {"@t": "long", "v": "5"}}) so that they decode to their type.
 */
final class JournalValues {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TAG = "@t";

    private JournalValues() {
    }

    /**
     * The journal form of {@code value}.
     *
     * @throws StepFailedException naming {@code stepName} when part of the value cannot be journaled
     */
    static JsonNode encode(String stepName, Object value) {
        return encode(stepName, value, "the value", 0);
    }

    private static JsonNode encode(String step, Object v, String path, int depth) {
        if (depth > 100) {
            throw refuse(step, path, "it is nested more than 100 levels deep (a value that contains itself?)");
        }
        if (v == null) {
            return F.nullNode();
        }
        if (v instanceof CharSequence s) {
            return F.textNode(s.toString());
        }
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (v instanceof Integer i) {
            return F.numberNode(i);
        }
        if (v instanceof Double d) {
            return F.numberNode(d);
        }
        if (v instanceof Long || v instanceof BigInteger || v instanceof BigDecimal || v instanceof Float
                || v instanceof Short || v instanceof Byte) {
            ObjectNode o = F.objectNode();
            o.put(TAG, v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
            o.put("v", v.toString());
            return o;
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof CharSequence)) {
                    throw refuse(step, path, "it is a map with a key of type " + typeOf(e.getKey()) + " (journaled maps have string keys)");
                }
                String k = e.getKey().toString();
                o.set(k, encode(step, e.getValue(), path + "['" + k + "']", depth + 1));
            }
            if (o.has(TAG)) {
                ObjectNode wrapped = F.objectNode();
                wrapped.put(TAG, "map");
                wrapped.set("v", o);
                return wrapped;
            }
            return o;
        }
        if (v instanceof Iterable<?> it) {
            ArrayNode a = F.arrayNode();
            int i = 0;
            for (Object x : it) {
                a.add(encode(step, x, path + "[" + i++ + "]", depth + 1));
            }
            return a;
        }
        if (v instanceof Object[] arr) {
            return encode(step, java.util.Arrays.asList(arr), path, depth);
        }
        throw refuse(step, path, "it is a " + typeOf(v));
    }

    private static String typeOf(Object v) {
        return v == null ? "null" : v.getClass().getName();
    }

    private static StepFailedException refuse(String step, String path, String why) {
        return new StepFailedException("Step '" + step + "' returned a value the journal cannot keep: " + path + " cannot be journaled because "
                + why + ". Steps must return null, strings, numbers, booleans, or lists and maps (with string keys) of them,"
                + " so that a build can resume after a controller restart");
    }

    /** The value {@code node} encodes. */
    static Object decode(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isInt()) {
            return node.intValue();
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() ? (Object) node.longValue() : node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> l = new ArrayList<>();
            node.forEach(x -> l.add(decode(x)));
            return l;
        }
        if (node.has(TAG)) {
            String t = node.get(TAG).asText();
            String v = node.path("v").asText();
            return switch (t) {
                case "long" -> Long.valueOf(v);
                case "biginteger" -> new BigInteger(v);
                case "bigdecimal" -> new BigDecimal(v);
                case "float" -> Float.valueOf(v);
                case "short" -> Short.valueOf(v);
                case "byte" -> Byte.valueOf(v);
                case "map" -> decodeMap(node.get("v"));
                default -> throw new IllegalStateException("the journal holds a value of unknown type '" + t + "'");
            };
        }
        return decodeMap(node);
    }

    private static Map<String, Object> decodeMap(JsonNode node) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), decode(e.getValue()));
        }
        return m;
    }
}
