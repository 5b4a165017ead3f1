package dev.gantry.engine.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a REST resource method any signed-in user may call (who am I, one's own tokens, logout);
 * the method itself checks anything finer (a user's own data, or {@link Permission#ADMINISTER}).
 * See {@link Requires}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SignedIn {
}
