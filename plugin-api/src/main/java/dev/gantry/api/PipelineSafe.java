package dev.gantry.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Marks what sandboxed pipeline code may touch. On a type, every public method, property and
 * constructor of that type is callable from a pipeline; on a member, that member alone.
 *
 * <p>Objects that steps return to a script (and global variables such as {@code env} or
 * {@code currentBuild}) must be of JDK types the sandbox already allows, or carry this
 * annotation. Everything else is rejected with a message naming the member.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface PipelineSafe {
}
