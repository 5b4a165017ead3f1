package dev.gantry.engine.secrets;

import dev.gantry.engine.sandbox.ApprovalPolicy;
import dev.gantry.engine.sandbox.Approvals;
import dev.gantry.engine.store.ApprovalRepository;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Script approvals: the signatures the pipeline sandbox rejected in the controller's builds (with
 * the first job, build and script, and how often), and an administrator's decision on each. An
 * approved signature passes the sandbox from the next call on; decisions persist in the store.
 * Thread-safe.
 */
public final class ScriptApprovals {
    /** A decision. */
    public enum Decision { APPROVED, DENIED, PENDING }

    private final ApprovalRepository repo;
    private final Set<String> approved = ConcurrentHashMap.newKeySet();

    ScriptApprovals(ApprovalRepository repo) {
        this.repo = repo;
        for (ApprovalRepository.Row r : repo.list()) {
            if (Decision.APPROVED.name().equals(r.status()) && r.approvable()) {
                approved.add(r.signature());
            }
        }
    }

    /** Every signature seen or decided, by signature. */
    public List<ApprovalRepository.Row> list() {
        return repo.list();
    }

    public Optional<ApprovalRepository.Row> find(String signature) {
        return repo.find(normalise(signature));
    }

    /**
     * Records an administrator's decision. A signature never rejected may be approved ahead of time.
     *
     * @return the row after the decision
     * @throws IllegalArgumentException when the signature is not an allow-list line, or is one
     *     that no approval lifts (approving it is refused, naming why)
     */
    public ApprovalRepository.Row decide(String signature, Decision decision) {
        String sig = normalise(signature);
        boolean approvable = Approvals.isApprovable(sig);
        if (decision == Decision.APPROVED && !approvable) {
            throw new IllegalArgumentException("'" + sig + "' cannot be approved: it is not a signature (method, staticMethod, new,"
                    + " field or staticField followed by the type and member), or it would let scripts leave the sandbox"
                    + " (metaclasses, closure delegates, bindings, class loading, exiting the JVM)");
        }
        repo.decide(sig, decision.name(), approvable, Instant.now());
        if (decision == Decision.APPROVED) {
            approved.add(sig);
        } else {
            approved.remove(sig);
        }
        return repo.find(sig).orElseThrow();
    }

    /** Forgets a signature (and its decision); false when it was not there. */
    public boolean delete(String signature) {
        String sig = normalise(signature);
        approved.remove(sig);
        return repo.delete(sig);
    }

    /** The policy for one build: approvals as decided now and later, rejections recorded with the job and build. */
    public ApprovalPolicy policyFor(String job, int build) {
        return new ApprovalPolicy() {
            @Override
            public boolean isApproved(String signature) {
                return approved.contains(signature);
            }

            @Override
            public void rejected(String signature, boolean approvable) {
                rejected(signature, approvable, null);
            }

            @Override
            public void rejected(String signature, boolean approvable, String script) {
                rejected(signature, approvable, script, 0);
            }

            @Override
            public void rejected(String signature, boolean approvable, String script, int line) {
                try {
                    repo.rejected(signature, approvable, job, build, script, line > 0 ? line : null, Instant.now());
                } catch (RuntimeException e) {
                    // The rejection itself must still happen; a store failure only loses the record of it.
                    System.getLogger(ScriptApprovals.class.getName()).log(System.Logger.Level.WARNING,
                            "cannot record the rejected signature '" + signature + "' of " + job + " #" + build + ": " + e.getMessage());
                }
            }
        };
    }

    private static String normalise(String signature) {
        if (signature == null || signature.isBlank()) {
            throw new NoSuchElementException("no signature given");
        }
        return String.join(" ", signature.strip().split("\\s+"));
    }
}
