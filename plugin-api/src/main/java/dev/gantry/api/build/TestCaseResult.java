package dev.gantry.api.build;

import org.apiguardian.api.API;

/**
 * One test case's outcome, as read from a JUnit or Surefire XML report.
 *
 * @param suite the suite name
 * @param className the test class (or suite, when the report has none)
 * @param name the test's name
 * @param status PASSED, FAILED (failure or error), or SKIPPED
 * @param durationSeconds how long it ran
 * @param message the failure or skip message, or null
 * @param details the stack trace or further text, or null
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public record TestCaseResult(String suite, String className, String name, Status status,
                             double durationSeconds, String message, String details) {

    /** A test's outcome. */
    public enum Status { PASSED, FAILED, SKIPPED }
}
