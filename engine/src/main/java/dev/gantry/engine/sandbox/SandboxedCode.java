package dev.gantry.engine.sandbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Put by the sandbox compiler on every class it compiled from pipeline code. The runtime checker
 * trusts members declared by such classes (they are themselves sandboxed), and nothing else.
 * Public only because generated classes must be able to carry it; not meant for hand-written code.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SandboxedCode {
}
