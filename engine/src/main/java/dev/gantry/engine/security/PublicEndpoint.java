package dev.gantry.engine.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a REST resource method anyone may call without credentials: health, readiness, the login
 * page, and endpoints that verify a signature of their own (webhooks). See {@link Requires}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PublicEndpoint {
    /** Why it is public, for reviewers. */
    String value();
}
