package dev.gantry.plugins.notify;

import java.util.Map;

/**
 * Where the plugin's settings (SMTP server, retries) come from, first found wins: the step's
 * environment ({@code withEnv}, a pipeline's {@code environment}), a system property of the
 * controller's JVM, the controller's process environment.
 */
final class Config {
    private Config() {
    }

    /**
     * The value of a setting, or null.
     *
     * @param environment the step's environment; empty for notifiers
     * @param variable the environment variable's name ({@code GANTRY_SMTP_HOST})
     * @param property the system property's name ({@code gantry.smtp.host})
     */
    static String lookup(Map<String, String> environment, String variable, String property) {
        String v = environment.get(variable);
        if (v == null || v.isBlank()) {
            v = System.getProperty(property);
        }
        if (v == null || v.isBlank()) {
            v = System.getenv(variable);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }
}
