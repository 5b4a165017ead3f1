package dev.gantry.engine.jobs;

/**
 * Jenkins' {@code logRotator}: how many builds, and for how many days, to keep, and the same for
 * their artifacts. -1 means no limit for that rule.
 */
public record LogRotator(int daysToKeep, int numToKeep, int artifactDaysToKeep, int artifactNumToKeep) {
    /** No limit. */
    public static final int UNLIMITED = -1;

    /** Whether any rule limits anything. */
    public boolean limitsSomething() {
        return daysToKeep >= 0 || numToKeep >= 0 || artifactDaysToKeep >= 0 || artifactNumToKeep >= 0;
    }
}
