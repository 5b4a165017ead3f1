package dev.gantry.engine.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Argument helpers that are not steps: {@code string(name: 'X')} in {@code parameters},
 * {@code usernamePassword(...)} in {@code withCredentials}, {@code logRotator(...)} in
 * {@code buildDiscarder}. Each evaluates to a map with its {@code type} and arguments.
 */
final class Symbols {
    static final Set<String> NAMES = Set.of("string", "text", "booleanParam", "choice", "password", "credentials",
            "usernamePassword", "usernameColonPassword", "sshUserPrivateKey", "file", "certificate", "logRotator",
            "agent", "nonresumable");

    private Symbols() {
    }

    static boolean isSymbol(String name) {
        return NAMES.contains(name);
    }

    static Map<String, Object> make(String name, Object[] args) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", name);
        if (args.length == 1 && args[0] instanceof Map<?, ?> named) {
            named.forEach((k, v) -> m.put(String.valueOf(k), v instanceof CharSequence cs ? cs.toString() : v));
        } else if (args.length == 1) {
            m.put("value", args[0] instanceof CharSequence cs ? cs.toString() : args[0]);
        } else if (args.length > 1) {
            throw new IllegalArgumentException(name + "(...) takes named arguments");
        }
        return m;
    }
}
