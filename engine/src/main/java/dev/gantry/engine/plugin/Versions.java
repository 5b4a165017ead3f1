package dev.gantry.engine.plugin;

import com.github.zafarkhaja.semver.Version;
import org.pf4j.DefaultVersionManager;
import org.pf4j.VersionManager;

/**
 * Version checks the way PF4J makes them (semantic versions, java-semver ranges such as
 * {@code >=1.0.0 & <2.0.0}), with PF4J's rule that a bare version in a requirement means "this
 * or newer".
 */
final class Versions {
    private static final VersionManager MANAGER = new DefaultVersionManager();

    private Versions() {
    }

    static boolean isVersion(String v) {
        return Version.tryParse(v).isPresent();
    }

    /** A requirement as PF4J reads it: {@code 1.2.0} means {@code >=1.2.0}. */
    static String requirement(String range) {
        String r = range.trim();
        return r.matches("\\d+\\.\\d+\\.\\d+") ? ">=" + r : r;
    }

    static boolean isConstraint(String range) {
        try {
            MANAGER.checkVersionConstraint("0.0.1", range);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code version} satisfies {@code range}; null, empty and {@code *} accept everything. */
    static boolean satisfies(String version, String range) {
        if (range == null || range.isBlank() || range.trim().equals("*")) {
            return true;
        }
        return MANAGER.checkVersionConstraint(version, requirement(range));
    }
}
