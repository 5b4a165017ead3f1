package dev.gantry.engine.store;

/**
 * The store could not do what was asked because the database or the file system failed (disk
 * full, database in use by another process, corrupt file). Unchecked: callers cannot recover
 * beyond reporting it.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
