package dev.gantry.engine.secrets;

import dev.gantry.api.credentials.CredentialLookup;
import dev.gantry.engine.sandbox.ApprovalPolicy;
import dev.gantry.engine.server.ControllerService;
import dev.gantry.engine.store.Store;
import java.io.IOException;
import java.util.Objects;

/**
 * The controller's credentials and script approvals, installed once on a controller: it opens
 * (or creates) the master key, gives every build a {@link CredentialLookup} over the job's folders
 * and the global scope (recording each use) and the sandbox's {@link ApprovalPolicy}, and makes
 * both reachable to the REST API through {@link ControllerService#secrets()}.
 */
public final class SecretsService {
    private final CredentialStore credentials;
    private final ScriptApprovals approvals;

    private SecretsService(CredentialStore credentials, ScriptApprovals approvals) {
        this.credentials = credentials;
        this.approvals = approvals;
    }

    /**
     * Hooks credentials and approvals into {@code controller}.
     *
     * @throws IOException when the master key in {@code <home>/secrets/master.key} cannot be read or created
     */
    public static SecretsService install(ControllerService controller, Store store) throws IOException {
        Objects.requireNonNull(controller, "controller");
        CredentialStore credentials = new CredentialStore(store.credentials(), new SecretCipher(MasterKey.loadOrCreate(store.home())),
                folder -> controller.folder(folder).isPresent());
        ScriptApprovals approvals = new ScriptApprovals(store.approvals());
        SecretsService service = new SecretsService(credentials, approvals);
        controller.buildServices((build, run) -> run
                .service(CredentialLookup.class, credentials.lookup(build.job(), build.number()))
                .service(ApprovalPolicy.class, approvals.policyFor(build.job(), build.number())));
        controller.secrets(service);
        CredentialTypes.plugins(controller::plugins);
        return service;
    }

    /** The credential store; never null. */
    public CredentialStore credentials() {
        return credentials;
    }

    /** The script approvals; never null. */
    public ScriptApprovals approvals() {
        return approvals;
    }
}
