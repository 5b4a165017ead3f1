package dev.gantry.engine.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of the agent protocol ({@code /api/agent/v1}): the method authenticates the agent
 * by its name and secret itself, and user credentials grant nothing there. See {@link Requires}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AgentEndpoint {
}
