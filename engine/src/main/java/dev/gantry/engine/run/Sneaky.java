package dev.gantry.engine.run;

/** Rethrows a checked exception without declaring it, as Groovy code does. */
final class Sneaky {
    private Sneaky() {
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
