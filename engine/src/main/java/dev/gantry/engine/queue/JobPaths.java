package dev.gantry.engine.queue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Resolves a job name as a pipeline writes it ({@code build 'x'}, {@code upstream(upstreamProjects: 'x')})
 * relative to the job that names it, exactly as Jenkins' {@code Jenkins.getItem(name, context)}:
 * a leading {@code /} is absolute; otherwise the name is walked from the naming job's folder,
 * {@code ..} going up a folder and {@code .} staying; when that finds nothing (or goes above the
 * root), the name is tried as a full name. So from {@code team/a}: {@code b} is {@code team/b}
 * (or {@code b} when there is no {@code team/b}), {@code ../tools} is {@code tools}, and
 * {@code sub/c} is {@code team/sub/c}.
 */
final class JobPaths {
    private JobPaths() {
    }

    /**
     * @param name the name as written
     * @param context the full name of the job that names it
     * @param exists whether a job of that full name exists
     * @return the full name of the job meant, or empty when there is none
     */
    static Optional<String> resolve(String name, String context, Predicate<String> exists) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) {
            return Optional.empty();
        }
        if (n.startsWith("/")) {
            String full = normalize(n.substring(1));
            return full != null && exists.test(full) ? Optional.of(full) : Optional.empty();
        }
        Deque<String> path = new ArrayDeque<>();
        int slash = context.lastIndexOf('/');
        if (slash > 0) {
            for (String part : context.substring(0, slash).split("/")) {
                path.addLast(part);
            }
        }
        boolean walked = true;
        for (String part : n.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (path.isEmpty()) {
                    walked = false;
                    break;
                }
                path.removeLast();
                continue;
            }
            path.addLast(part);
        }
        if (walked && !path.isEmpty()) {
            String relative = String.join("/", path);
            if (exists.test(relative)) {
                return Optional.of(relative);
            }
        }
        String full = normalize(n);
        return full != null && exists.test(full) ? Optional.of(full) : Optional.empty();
    }

    /** The name without empty and {@code .} parts; null when it has {@code ..} (a full name cannot). */
    private static String normalize(String name) {
        StringBuilder b = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                return null;
            }
            b.append(b.isEmpty() ? "" : "/").append(part);
        }
        return b.isEmpty() ? null : b.toString();
    }
}
