package dev.gantry.engine.store;

/** An update named a version that is no longer current: someone else changed the record first. */
public final class StaleVersionException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long current;

    public StaleVersionException(String what, long expected, long current) {
        super(what + " was changed meanwhile: you had version " + expected + ", it is now at version " + current);
        this.current = current;
    }

    public long current() {
        return current;
    }
}
