package dev.gantry.plugins.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** JSON for payloads and responses; one mapper, thread-safe once configured. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** The value (maps, lists, strings, numbers, booleans) as UTF-8 JSON. */
    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(plain(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the payload as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The value with Groovy's GStrings (any CharSequence) as strings, maps and lists copied deeply. */
    static Object plain(Object value) {
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof Iterable<?> l) {
            java.util.List<Object> out = new java.util.ArrayList<>();
            l.forEach(v -> out.add(plain(v)));
            return out;
        }
        return value;
    }

    /** A JSON object's fields, or empty when the text is not a JSON object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) {
        if (text == null || !text.stripLeading().startsWith("{")) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    /**
     * A payload given as text: checked to be JSON, so that a typo fails here and not at the receiver.
     *
     * @throws IllegalArgumentException with the parser's message when it is not JSON
     */
    static byte[] checked(String text) {
        try {
            MAPPER.readTree(text);
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
