package dev.gantry.engine.local;

import dev.gantry.api.build.InputHandler;
import dev.gantry.api.build.InputRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers {@code input} in a local run: from {@code --input} options first, then by asking on
 * the terminal when there is one; otherwise the input is aborted with a message saying how to
 * answer it. Answers: {@code ID} or {@code ID=proceed}, {@code ID=abort}, {@code ID=VALUE} for an
 * input with one parameter, {@code ID.PARAM=VALUE} for one of several.
 */
public final class LocalInputHandler implements InputHandler {
    private final Map<String, String> answers = new LinkedHashMap<>();
    private final boolean interactive;

    public LocalInputHandler(List<String> options, boolean interactive) {
        for (String o : options) {
            int eq = o.indexOf('=');
            answers.put(eq < 0 ? o : o.substring(0, eq), eq < 0 ? "proceed" : o.substring(eq + 1));
        }
        this.interactive = interactive;
    }

    @Override
    public synchronized Answer await(InputRequest req) throws InterruptedException {
        String direct = find(req.id());
        Map<String, Object> values = new LinkedHashMap<>();
        boolean answered = direct != null;
        for (Map<String, Object> p : req.parameters()) {
            String name = String.valueOf(p.get("name"));
            String v = find(req.id() + "." + name);
            if (v == null && direct != null && req.parameters().size() == 1 && !isKeyword(direct)) {
                v = direct;
            }
            answered |= v != null;
            values.put(name, v == null ? defaultOf(p) : convert(p, v));
        }
        if (direct != null && direct.equalsIgnoreCase("abort")) {
            return new Answer(false, Map.of(), "local user", "Aborted by local user (--input " + req.id() + "=abort)");
        }
        if (answered) {
            return new Answer(true, values, "local user", null);
        }
        if (interactive) {
            return ask(req);
        }
        return new Answer(false, Map.of(), null, "Input '" + req.id() + "' (" + req.message() + ") was not answered: pass --input "
                + req.id() + (req.parameters().isEmpty() ? "" : "=VALUE") + " to proceed or --input " + req.id() + "=abort; no terminal to ask on");
    }

    private static boolean isKeyword(String v) {
        return v.equalsIgnoreCase("proceed") || v.equalsIgnoreCase("abort");
    }

    private String find(String key) {
        if (answers.containsKey(key)) {
            return answers.get(key);
        }
        for (Map.Entry<String, String> e : answers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static Object defaultOf(Map<String, Object> p) {
        String type = String.valueOf(p.get("type"));
        Object d = p.get("defaultValue");
        if (type.equals("booleanParam")) {
            return d instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(d));
        }
        if (type.equals("choice")) {
            List<String> c = choices(p);
            return c.isEmpty() ? "" : c.get(0);
        }
        return d == null ? "" : String.valueOf(d);
    }

    private static List<String> choices(Map<String, Object> p) {
        Object c = p.get("choices");
        if (c instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return c == null ? List.of() : List.of(String.valueOf(c).split("\n"));
    }

    private static Object convert(Map<String, Object> p, String v) {
        String type = String.valueOf(p.get("type"));
        if (type.equals("booleanParam")) {
            return Boolean.parseBoolean(v.trim());
        }
        if (type.equals("choice") && !choices(p).contains(v)) {
            throw new dev.gantry.api.step.StepFailedException("input: '" + v + "' is not one of " + choices(p) + " for " + p.get("name"));
        }
        return v;
    }

    private Answer ask(InputRequest req) {
        System.out.println();
        System.out.println("Input: " + req.message());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Map<String, Object> p : req.parameters()) {
                System.out.print("  " + p.get("name") + " [" + defaultOf(p) + "]: ");
                System.out.flush();
                String line = in.readLine();
                values.put(String.valueOf(p.get("name")), line == null || line.isEmpty() ? defaultOf(p) : convert(p, line));
            }
            System.out.print(req.ok() + "? [y/N] ");
            System.out.flush();
            String yes = in.readLine();
            boolean proceed = yes != null && (yes.trim().equalsIgnoreCase("y") || yes.trim().equalsIgnoreCase("yes"));
            return new Answer(proceed, values, "local user", proceed ? null : "Aborted by local user");
        } catch (IOException e) {
            return new Answer(false, Map.of(), null, "Input '" + req.id() + "' could not be read from the terminal: " + e.getMessage());
        }
    }
}
