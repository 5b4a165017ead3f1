package dev.gantry.engine.security;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * Every resource method of a Jersey application, found through Jersey's own resource model (so an
 * endpoint added anywhere, by anyone, is in the list), with a concrete path that routes to it.
 */
record Endpoints(List<Endpoint> all) {
    /** One HTTP method on one path template, and the Java method behind it. */
    record Endpoint(String httpMethod, String template, Method method) {
        /** The template with sample values for its parameters ({@code {name: .+}} becomes {@code job}). */
        String path() {
            StringBuilder b = new StringBuilder();
            int i = 0;
            while (i < template.length()) {
                char ch = template.charAt(i);
                if (ch != '{') {
                    b.append(ch);
                    i++;
                    continue;
                }
                int depth = 0;
                int end = i;
                for (; end < template.length(); end++) {
                    depth += template.charAt(end) == '{' ? 1 : template.charAt(end) == '}' ? -1 : 0;
                    if (depth == 0) {
                        break;
                    }
                }
                String param = template.substring(i + 1, end).split(":", 2)[0].trim();
                b.append(switch (param) {
                    case "name" -> "job";
                    case "number" -> "1";
                    case "path" -> "file.txt";
                    case "user" -> "someone";
                    case "role" -> "viewer";
                    default -> "x";
                });
                i = end + 1;
            }
            return b.toString();
        }

        AccessFilter.Access access() {
            return AccessFilter.access(method);
        }

        @Override
        public String toString() {
            return httpMethod + " /" + template + " (" + method.getDeclaringClass().getSimpleName() + "." + method.getName() + ")";
        }
    }

    static Endpoints of(ResourceConfig rc) {
        Set<Class<?>> classes = new HashSet<>(rc.getClasses());
        rc.getInstances().forEach(i -> classes.add(i.getClass()));
        List<Endpoint> out = new ArrayList<>();
        for (Class<?> c : classes) {
            if (c.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                walk(Resource.from(c), "", out);
            }
        }
        out.sort(java.util.Comparator.comparing(Endpoint::toString));
        return new Endpoints(List.copyOf(out));
    }

    private static void walk(Resource r, String prefix, List<Endpoint> out) {
        String path = join(prefix, r.getPath());
        for (ResourceMethod m : r.getResourceMethods()) {
            out.add(new Endpoint(m.getHttpMethod(), path, m.getInvocable().getDefinitionMethod()));
        }
        for (Resource child : r.getChildResources()) {
            walk(child, path, out);
        }
    }

    private static String join(String a, String b) {
        String x = a == null ? "" : a.replaceAll("^/+|/+$", "");
        String y = b == null ? "" : b.replaceAll("^/+|/+$", "");
        return x.isEmpty() ? y : y.isEmpty() ? x : x + "/" + y;
    }
}
