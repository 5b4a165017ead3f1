package dev.gantry.engine.server;

import java.util.regex.Pattern;

/**
 * What a job's full name may be: folders and a name separated by {@code /}, each part letters
 * and digits of any script, {@code .}, {@code _}, {@code -} and inner spaces; not {@code .} or
 * {@code ..}; at most 100 characters a part and 10 parts. Anything else (traversal, control
 * characters, markup, encoded dots) is refused with a message that says why.
 */
public final class JobNames {
    private static final Pattern PART = Pattern.compile("[\\p{L}\\p{N}._-]+(?: [\\p{L}\\p{N}._-]+)*");

    private JobNames() {
    }

    /**
     * @return null when {@code name} is acceptable, else why it is not
     */
    public static String check(String name) {
        if (name == null || name.isEmpty()) {
            return "a job name is required";
        }
        if (name.length() > 1000) {
            return "a job name has at most 1000 characters";
        }
        String[] parts = name.split("/", -1);
        if (parts.length > 10) {
            return "a job name has at most 10 parts (folders and the job)";
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                return "'" + printable(name) + "' has an empty part: no leading, trailing or double '/'";
            }
            if (part.equals(".") || part.equals("..")) {
                return "'" + printable(name) + "' has a '" + part + "' part, which is not allowed";
            }
            if (part.length() > 100) {
                return "a part of a job name has at most 100 characters";
            }
            if (!PART.matcher(part).matches()) {
                return "'" + printable(name) + "' may contain only letters, digits, '.', '_', '-', inner spaces and '/' between folders";
            }
        }
        return null;
    }

    /** The name with control characters shown as \\uXXXX, for messages. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(200).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
