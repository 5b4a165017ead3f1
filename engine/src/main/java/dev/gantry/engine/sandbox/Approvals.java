package dev.gantry.engine.sandbox;

/**
 * Which rejected signatures an administrator may approve. Everything the allow-list decides may
 * be approved, except what would hand the script the keys to the sandbox itself: metaclasses
 * (they replace the methods the checks rely on), member names with {@code $} (Groovy's internals), a
 * closure's delegate or resolve strategy, a script's binding, and class loading by name.
 */
public final class Approvals {
    private Approvals() {
    }

    /** Whether approving {@code signature} may let it pass. */
    public static boolean isApprovable(String signature) {
        if (signature == null || signature.isBlank()) {
            return false;
        }
        String[] parts = signature.trim().split("\\s+");
        if (parts.length < 2) {
            return false;
        }
        switch (parts[0]) {
            case "method", "staticMethod", "new", "field", "staticField" -> { }
            default -> {
                return false;
            }
        }
        // Type names may hold '$' (nested classes); member names with '$' are Groovy's internals.
        boolean hasMember = !parts[0].equals("new");
        if ((hasMember && (parts.length < 3 || parts[2].contains("$")))
                || signature.toLowerCase(java.util.Locale.ROOT).contains("metaclass")) {
            return false;
        }
        return !(signature.startsWith("method groovy.lang.Closure setDelegate")
                || signature.startsWith("method groovy.lang.Closure setResolveStrategy")
                || signature.startsWith("method groovy.lang.Closure setDirective")
                || signature.startsWith("method groovy.lang.Script setBinding")
                || signature.startsWith("staticMethod java.lang.Class forName")
                || signature.contains(" java.lang.ClassLoader ") || signature.startsWith("method java.lang.ClassLoader")
                || signature.startsWith("staticMethod java.lang.System exit")
                || signature.startsWith("method java.lang.Runtime exit") || signature.startsWith("method java.lang.Runtime halt"));
    }
}
