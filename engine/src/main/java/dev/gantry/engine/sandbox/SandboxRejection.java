package dev.gantry.engine.sandbox;

/**
 * Thrown where sandboxed pipeline code reaches something the allow-list does not permit. It carries
 * the rejected member as an allow-list line ({@link #signature()}), so that an approvals feature can
 * list it and an administrator can add it verbatim.
 */
public final class SandboxRejection extends SecurityException {
    private static final long serialVersionUID = 1L;

    private final String signature;

    /**
     * @param signature the rejected member in allow-list form, e.g. {@code new java.io.File java.lang.String};
     *     never null
     */
    public SandboxRejection(String signature) {
        this(signature, false);
    }

    /**
     * @param approvalHint whether the message says where an administrator can approve it (when
     *     the build runs on a controller with script approvals and the signature may be approved)
     */
    public SandboxRejection(String signature, boolean approvalHint) {
        super("Scripts not permitted to use " + signature + (approvalHint
                ? " (an administrator can approve this signature under /api/v1/script-approvals)" : ""));
        this.signature = signature;
    }

    /** The rejected member in allow-list form, e.g. {@code method java.lang.String execute}. Never null. */
    public String signature() {
        return signature;
    }
}
