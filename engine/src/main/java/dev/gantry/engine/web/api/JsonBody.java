package dev.gantry.engine.web.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.stream.Collectors;

/**
 * Reads and writes JSON bodies with one strictly configured Jackson mapper: unknown properties,
 * trailing content and type coercions in requests are 400s that say what and where. Our own
 * provider rather than Jersey's Jackson feature, so that no feature scanning is needed at start-up
 * and every parse failure maps to the API's error shape.
 */
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
final class JsonBody implements MessageBodyReader<Object>, MessageBodyWriter<Object> {
    static final ObjectMapper MAPPER = htmlSafe(JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
            .build());

    JsonBody() {
    }

    /**
     * Escapes {@code < > & '} as {@code \\u003c} and friends, so that a name or message echoed in
     * JSON can never become markup if some client renders it carelessly.
     */
    static ObjectMapper htmlSafe(ObjectMapper mapper) {
        int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();
        for (char c : new char[] {'<', '>', '&', '\''}) {
            escapes[c] = CharacterEscapes.ESCAPE_STANDARD;
        }
        mapper.getFactory().setCharacterEscapes(new CharacterEscapes() {
            private static final long serialVersionUID = 1L;

            @Override
            public int[] getEscapeCodesForAscii() {
                return escapes;
            }

            @Override
            public SerializableString getEscapeSequence(int ch) {
                return null;
            }
        });
        return mapper;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return isJson(mediaType);
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                           MultivaluedMap<String, String> headers, InputStream entity) throws IOException {
        PushbackInputStream in = new PushbackInputStream(entity, 1);
        try {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            in.unread(first);
            return MAPPER.readValue(MAPPER.createParser(in), MAPPER.constructType(genericType));
        } catch (BodyLimit.TooLarge e) {
            throw new ApiException(413, "payload_too_large", e.getMessage());
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                    .collect(Collectors.joining(", ", "; known properties: ", ""));
            throw ApiException.badRequest("unknown_property", "unknown property '" + e.getPropertyName() + "'" + where(e.getLocation()) + known);
        } catch (JsonParseException e) {
            throw ApiException.badRequest("malformed_json", "malformed JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (MismatchedInputException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Trailing token")) {
                throw ApiException.badRequest("malformed_json", "malformed JSON" + where(e.getLocation()) + ": unexpected content after the end of the JSON value");
            }
            String path = path(e);
            throw ApiException.badRequest("invalid_json", (path.isEmpty() ? "the request body" : "'" + path + "'")
                    + " must be " + expected(e.getTargetType()) + where(e.getLocation()));
        } catch (JsonMappingException e) {
            String path = path(e);
            throw ApiException.badRequest("invalid_json", (path.isEmpty() ? "the request body" : "'" + path + "'")
                    + " is not acceptable" + where(e.getLocation()));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed_json", "malformed JSON" + where(e.getLocation()) + ": " + firstLine(e.getOriginalMessage()));
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** The expected JSON type in user words, never a Java class name. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String where(JsonLocation l) {
        return l == null || l.getLineNr() < 1 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return isJson(mediaType);
    }

    @Override
    public void writeTo(Object value, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        MAPPER.writeValue(out, value);
    }

    private static boolean isJson(MediaType m) {
        return m == null || m.isWildcardType() || (m.getType().equals("application")
                && (m.getSubtype().equals("json") || m.getSubtype().endsWith("+json")));
    }
}
