package dev.gantry.plugins.notify;

import dev.gantry.api.credentials.Credential;
import dev.gantry.api.credentials.CredentialLookup;
import dev.gantry.api.notify.Notifier;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepFailedException;
import java.util.List;
import java.util.NoSuchElementException;

/** Turns a credential id into its secret, for steps (through the build's credentials) and notifiers. */
final class Secrets {
    /** The field names a secret-text credential keeps its secret under, in order of preference. */
    static final List<String> SECRET_FIELDS = List.of("secret", "text", "token", "password");

    private Secrets() {
    }

    /**
     * The secret of a credential the build may use.
     *
     * @param what what the secret is for, for messages ("the Slack token or webhook URL")
     * @throws StepFailedException naming the id when there is no such credential or it holds no secret
     */
    static String secret(StepContext context, String credentialsId, String what) {
        CredentialLookup lookup = context.service(CredentialLookup.class).orElseThrow(() -> new StepFailedException(
                "cannot read credential '" + credentialsId + "' (" + what + "): this run has no credentials store"));
        Credential c;
        try {
            c = lookup.find(credentialsId);
        } catch (NoSuchElementException e) {
            throw new StepFailedException("no credential '" + credentialsId + "' for " + what + ": " + e.getMessage()
                    + "; create a secret text credential with that id");
        }
        return secretOf(c, what);
    }

    /**
     * The secret of a credential resolved for a notifier.
     *
     * @throws IllegalArgumentException naming the id when there is no such credential
     */
    static String secret(Notifier.SecretResolver secrets, String credentialsId, String what) {
        try {
            String s = secrets.secret(credentialsId);
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("credential '" + credentialsId + "' (" + what + ") holds an empty secret");
            }
            return s;
        } catch (NoSuchElementException e) {
            throw new IllegalArgumentException("no credential '" + credentialsId + "' for " + what + ": " + e.getMessage(), e);
        }
    }

    /** The secret field of a secret-text (or token, or password) credential. */
    static String secretOf(Credential c, String what) {
        for (String f : SECRET_FIELDS) {
            String v = c.fields().get(f);
            if (v != null && c.secretFields().contains(f)) {
                return v;
            }
        }
        if (c.secretFields().size() == 1) {
            String v = c.fields().get(c.secretFields().iterator().next());
            if (v != null) {
                return v;
            }
        }
        throw new StepFailedException("credential '" + c.id() + "' (" + c.type() + ") holds no single secret for " + what
                + "; use a secret text credential (its secret in the field 'secret')");
    }
}
