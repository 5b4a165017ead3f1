package dev.gantry.engine.steps;

import dev.gantry.api.credentials.Credential;
import dev.gantry.api.credentials.CredentialBinding;
import dev.gantry.api.credentials.CredentialLookup;
import dev.gantry.api.step.BodyKind;
import dev.gantry.api.step.ContextChange;
import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.Workspace;
import dev.gantry.engine.run.BuildSecrets;
import dev.gantry.engine.run.CredentialBindings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * {@code withCredentials([...]) { ... }}: binds stored credentials to environment variables for
 * its body, as Jenkins' credentials binding plugin does; their secrets are masked in the log and
 * files written for them are deleted when the body ends, however it ends. Stateless.
 */
public final class WithCredentialsStep implements Step {
    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("withCredentials")
            .help("Runs the block with stored credentials bound to environment variables: string(credentialsId:, variable:), "
                    + "usernamePassword(credentialsId:, usernameVariable:, passwordVariable:), usernameColonPassword(credentialsId:, variable:), "
                    + "sshUserPrivateKey(credentialsId:, keyFileVariable:, passphraseVariable:, usernameVariable:), "
                    + "file(credentialsId:, variable:) and certificate(credentialsId:, keystoreVariable:, passwordVariable:, aliasVariable:). "
                    + "Secret values are masked as **** in the log; key and secret files are written outside the workspace "
                    + "(mode 600) and deleted when the block ends. Started plugins add bindings of their own.")
            .required("bindings", ParamType.LIST, "The bindings, each made with one of the functions above.")
            .positional("bindings")
            .body(BodyKind.REQUIRED)
            .build();

    @Override
    public StepDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object run(StepContext context, StepArguments arguments) throws Exception {
        CredentialLookup lookup = context.service(CredentialLookup.class).orElseThrow(() -> new StepFailedException(
                "withCredentials: this run has no credentials; on the controller they are stored with 'gantry credentials create',"
                        + " for 'gantry run' pass them with --credentials FILE"));
        BuildSecrets secrets = context.service(BuildSecrets.class).orElseThrow(() -> new StepFailedException(
                "withCredentials: this run cannot mask secrets in its log, so it binds none"));
        StepLibrary library = context.service(StepLibrary.class).orElse(null);
        List<CredentialBindings.Bound> bound = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        try {
            for (Object b : (List<?>) arguments.get("bindings")) {
                if (!(b instanceof Map<?, ?> m) || !(m.get("type") instanceof String symbol)) {
                    throw new StepFailedException("withCredentials: each binding must be made with one of " + known(library)
                            + ", as in string(credentialsId: 'id', variable: 'V'), not " + b);
                }
                boolean builtIn = CredentialBindings.SYMBOLS.contains(symbol);
                CredentialBinding plugin = builtIn || library == null ? null : library.binding(symbol).orElse(null);
                if (!builtIn && plugin == null) {
                    throw new StepFailedException("withCredentials: '" + symbol + "' is not a credentials binding; use one of "
                            + known(library));
                }
                Object id = m.get("credentialsId");
                if (id == null || String.valueOf(id).isBlank()) {
                    throw new StepFailedException("withCredentials: " + symbol + "(...) needs credentialsId");
                }
                Credential c;
                try {
                    c = lookup.find(String.valueOf(id));
                } catch (NoSuchElementException e) {
                    throw new StepFailedException("withCredentials: " + e.getMessage());
                }
                Map<String, Object> args = new LinkedHashMap<>();
                m.forEach((k, v) -> args.put(String.valueOf(k), v));
                Workspace ws = context.hasWorkspace() ? context.workspace() : null;
                CredentialBindings.Bound one = plugin == null ? CredentialBindings.bind(symbol, c, args, ws, secrets)
                        : CredentialBindings.bind(symbol, plugin, c, args, ws, secrets);
                bound.add(one);
                env.putAll(one.variables());
            }
            context.console().println("Masking supported pattern matches of " + String.join(", ", env.keySet().stream()
                    .map(k -> "$" + k).toList()));
            return context.body().run(ContextChange.builder().env(env).build());
        } finally {
            IOException failed = null;
            for (CredentialBindings.Bound b : bound) {
                try {
                    CredentialBindings.unbind(b);
                } catch (IOException e) {
                    failed = e;
                }
            }
            if (failed != null) {
                context.console().warn("withCredentials: could not delete a credential file: " + failed.getMessage());
            }
        }
    }

    /**
     * The binding symbols {@code withCredentials} takes in a build of {@code library}: the built-in
     * ones and the plugins', sorted; only the built-in ones when {@code library} is null.
     */
    public static java.util.SortedSet<String> bindingSymbols(StepLibrary library) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(CredentialBindings.SYMBOLS);
        if (library != null) {
            all.addAll(library.bindingSymbols());
        }
        return all;
    }

    private static String known(StepLibrary library) {
        return String.join(", ", bindingSymbols(library));
    }
}
