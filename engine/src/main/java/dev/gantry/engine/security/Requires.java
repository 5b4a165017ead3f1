package dev.gantry.engine.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission a REST resource method needs, checked by the controller's request filter before
 * the method runs. Every resource method carries exactly one of {@code @Requires},
 * {@link PublicEndpoint}, {@link SignedIn} or {@link AgentEndpoint}; a test enumerates the
 * application's methods and fails for any without, and the filter refuses such a method with 403.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Requires {
    /** The permission. */
    Permission value();

    /** Where the permission must be held. */
    Scope on() default Scope.GLOBAL;

    /**
     * Whether a successful call (other than GET or HEAD) is written to the audit log by the filter;
     * false for methods that write their own, more precise entries.
     */
    boolean audit() default true;

    /** Where a permission is looked up. */
    enum Scope {
        /** Only global grants count. */
        GLOBAL,
        /** The path parameter {@code name} is a job's full name: grants on its folders count too. */
        JOB,
        /** The path parameter {@code name} is a folder's full name: grants on it and its parents count too. */
        FOLDER
    }
}
