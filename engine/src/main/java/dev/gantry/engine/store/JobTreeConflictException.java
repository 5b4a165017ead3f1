package dev.gantry.engine.store;

/**
 * A write that would make one name both a folder and a job ({@code team-a} a job while
 * {@code team-a/api} needs it to be a folder), or delete a folder that still holds jobs without
 * saying so. Nothing was written.
 */
public final class JobTreeConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobTreeConflictException(String message) {
        super(message);
    }
}
