package dev.gantry.api.extension;

import org.apiguardian.api.API;
import org.pf4j.ExtensionPoint;

/**
 * The common super-interface of every Gantry extension point ({@link dev.gantry.api.step.Step},
 * {@link dev.gantry.api.scm.ScmProvider}, {@link dev.gantry.api.notify.Notifier}, ...). A plugin
 * contributes an implementation by annotating a public class with a public no-argument
 * constructor with {@code @org.pf4j.Extension}; PF4J's annotation processor lists it in the
 * plugin jar's {@code META-INF/extensions.idx} at compile time, so nothing is scanned at run time.
 *
 * <p><b>Lifecycle.</b> The engine creates one instance of each extension class when the plugin
 * starts (after {@link GantryPlugin#start()}), uses it until the plugin stops (disabled,
 * uninstalled, upgraded, or the process ends) and then drops it. An extension never outlives its
 * plugin's class loader, so it must not hand threads or objects to anything that does.
 *
 * <p><b>Threading.</b> That one instance serves every build and request concurrently: an
 * extension must be stateless or thread-safe. Each extension point says on which thread its
 * methods are called.
 *
 * <p><b>Failures.</b> An exception thrown by an extension never stops the engine: it fails the
 * call that used the extension (a step, a notification, a checkout), naming the plugin.
 *
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface GantryExtensionPoint extends ExtensionPoint {
}
