package dev.gantry.engine.sandbox;

/**
 * Where the sandbox reports what it rejected and asks whether an administrator approved a
 * signature (see {@link SandboxRuntime#setApprovalPolicySource}). Implementations are called on
 * pipeline threads, only when something is about to be rejected; they must be thread-safe and
 * must not throw.
 */
public interface ApprovalPolicy {

    /** Whether an administrator approved {@code signature} (an allow-list line). */
    boolean isApproved(String signature);

    /**
     * {@code signature} is being rejected.
     *
     * @param approvable whether approving it would let it pass
     */
    void rejected(String signature, boolean approvable);

    /**
     * As {@link #rejected(String, boolean)}, naming the script that ran the rejected code; the
     * build's side calls this one when it knows the script. The default ignores the script.
     */
    default void rejected(String signature, boolean approvable, String script) {
        rejected(signature, approvable);
    }

    /**
     * As {@link #rejected(String, boolean, String)}, with the line of the script that ran the
     * rejected code (0: not known). The default ignores the line.
     */
    default void rejected(String signature, boolean approvable, String script, int line) {
        rejected(signature, approvable, script);
    }
}
