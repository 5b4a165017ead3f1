package dev.gantry.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON text columns of a build; one mapper, shared, because it is thread-safe once configured. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> PARAMETERS = new TypeReference<>() { };
    private static final TypeReference<ArrayList<StageRow>> STAGES = new TypeReference<>() { };
    private static final TypeReference<LinkedHashMap<String, Integer>> TESTS = new TypeReference<>() { };
    private static final TypeReference<ArrayList<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<ArrayList<BuildCause>> CAUSES = new TypeReference<>() { };
    private static final TypeReference<LinkedHashMap<String, String>> VARIABLES = new TypeReference<>() { };

    private Json() {
    }

    /** The longest text a script or JSON column holds (CHARACTER VARYING(1000000) in V1). */
    static final int MAX_TEXT = 1_000_000;

    static String write(Object value, String what) {
        try {
            String json = MAPPER.writeValueAsString(value);
            if (json.length() > MAX_TEXT) {
                throw new IllegalArgumentException("the build's " + what + " are " + json.length() + " characters as JSON; at most " + MAX_TEXT + " are stored");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the build's " + what + " cannot be stored as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static dev.gantry.engine.jobs.JobSpec spec(String json) {
        return read(json, new TypeReference<dev.gantry.engine.jobs.JobSpec>() { }, "spec");
    }

    static dev.gantry.engine.jobs.JobSettings settings(String json) {
        return read(json, new TypeReference<dev.gantry.engine.jobs.JobSettings>() { }, "settings");
    }

    static Map<String, Object> parameters(String json) {
        return read(json, PARAMETERS, "parameters");
    }

    static List<StageRow> stages(String json) {
        return read(json, STAGES, "stages");
    }

    static Map<String, Integer> tests(String json) {
        return read(json, TESTS, "tests");
    }

    static List<String> strings(String json) {
        return read(json, STRINGS, "artifacts");
    }

    static List<BuildCause> causes(String json) {
        return read(json, CAUSES, "causes");
    }

    static Map<String, String> variables(String json) {
        return read(json, VARIABLES, "variables");
    }

    private static <T> T read(String json, TypeReference<T> type, String column) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("the builds." + column + " column holds JSON that cannot be read: " + e.getOriginalMessage(), e);
        }
    }
}
