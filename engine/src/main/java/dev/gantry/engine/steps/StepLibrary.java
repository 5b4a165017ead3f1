package dev.gantry.engine.steps;

import dev.gantry.api.credentials.CredentialBinding;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepDescriptor;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The steps a pipeline may call, by name: the built-in ones (registered through
 * {@code META-INF/services/dev.gantry.api.step.Step}) and those of the started plugins.
 * Thread-safe; the linter and the runtime read the same library. A library is either fixed
 * (immutable) or {@linkplain #live live}: a view of whatever library its source holds now, for
 * a controller whose plugins are installed and disabled while it runs; a build takes a
 * {@link #snapshot()} so that its steps stay the same from its first line to its last. It also
 * holds the plugins' credential bindings ({@link #binding}), for the same reasons: the linter and
 * the runtime see the same ones, and a build keeps those it started with.
 */
public final class StepLibrary {
    private final Map<String, Step> steps;
    /** The started plugins' {@code withCredentials} bindings by symbol; the built-in ones are not here. */
    private final Map<String, CredentialBinding> bindings;
    private final Supplier<StepLibrary> source;

    private StepLibrary(Map<String, Step> steps, Map<String, CredentialBinding> bindings) {
        this.steps = Collections.unmodifiableMap(steps);
        this.bindings = Collections.unmodifiableMap(bindings);
        this.source = null;
    }

    private StepLibrary(Map<String, Step> steps) {
        this(steps, Map.of());
    }

    private StepLibrary(Supplier<StepLibrary> source) {
        this.steps = null;
        this.bindings = null;
        this.source = source;
    }

    /**
     * A library that always shows what {@code source} returns at the moment it is asked.
     *
     * @param source returns the current library, never null; called on every lookup, so it must be cheap
     */
    public static StepLibrary live(Supplier<StepLibrary> source) {
        return new StepLibrary(java.util.Objects.requireNonNull(source, "source"));
    }

    /** This library as it is now: itself when fixed, the current library of a live one. */
    public StepLibrary snapshot() {
        return source == null ? this : source.get().snapshot();
    }

    private Map<String, Step> current() {
        return source == null ? steps : source.get().current();
    }

    private Map<String, CredentialBinding> currentBindings() {
        return source == null ? bindings : source.get().currentBindings();
    }

    /**
     * This library plus {@code more}, in order; a step whose name is taken already is left out
     * and reported to {@code clash} with the step that keeps the name.
     */
    public StepLibrary plus(Collection<? extends Step> more, BiConsumer<Step, Step> clash) {
        Map<String, Step> all = new TreeMap<>(current());
        for (Step s : more) {
            Step previous = all.putIfAbsent(s.descriptor().name(), s);
            if (previous != null) {
                clash.accept(s, previous);
            }
        }
        return new StepLibrary(all, new TreeMap<>(currentBindings()));
    }

    /**
     * This library plus plugin credential bindings for {@code withCredentials([...])}, in order. A
     * binding is left out, and reported to {@code refused} with the reason, when its symbol is not
     * a Groovy identifier, is a built-in symbol (a {@code withCredentials} binding or argument helper the declarative grammar knows, {@link dev.gantry.engine.pipeline.DeclarativeGrammar#SYMBOLS}), names a step, or was
     * taken by an earlier binding: it would never be reached, or would change what a pipeline
     * written for the built-in means.
     *
     * @param refused told each binding left out and why (a sentence naming the symbol); called on this thread
     */
    public StepLibrary withBindings(Collection<? extends CredentialBinding> more, BiConsumer<CredentialBinding, String> refused) {
        Map<String, Step> all = current();
        Map<String, CredentialBinding> out = new TreeMap<>(currentBindings());
        for (CredentialBinding b : more) {
            String symbol;
            try {
                symbol = b.symbol();
            } catch (RuntimeException e) {
                refused.accept(b, "its credential binding " + b.getClass().getName() + " is left out: symbol() threw " + e);
                continue;
            }
            if (symbol == null || !IDENTIFIER.matcher(symbol).matches()) {
                refused.accept(b, "its credential binding " + b.getClass().getName() + " is left out: its symbol '" + symbol
                        + "' is not a Groovy identifier");
            } else if (dev.gantry.engine.pipeline.DeclarativeGrammar.SYMBOLS.contains(symbol)) {
                refused.accept(b, "its credential binding '" + symbol + "' is left out: a built-in binding or argument helper"
                        + " has that name; give it another symbol (prefix it with the plugin's id)");
            } else if (all.containsKey(symbol)) {
                refused.accept(b, "its credential binding '" + symbol + "' is left out: a step has that name");
            } else if (out.containsKey(symbol)) {
                refused.accept(b, "its credential binding '" + symbol + "' is left out: another plugin's binding has that name");
            } else {
                out.put(symbol, b);
            }
        }
        return new StepLibrary(new TreeMap<>(all), out);
    }

    private static final java.util.regex.Pattern IDENTIFIER = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The plugin credential binding with this symbol; empty for built-in bindings and unknown names. */
    public Optional<CredentialBinding> binding(String symbol) {
        return Optional.ofNullable(currentBindings().get(symbol));
    }

    /** The symbols of the plugins' credential bindings, sorted. */
    public java.util.Set<String> bindingSymbols() {
        return currentBindings().keySet();
    }

    /** The steps found through {@link ServiceLoader} on the engine's class path. */
    public static StepLibrary builtins() {
        return of(ServiceLoader.load(Step.class, StepLibrary.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList());
    }

    /**
     * A library of exactly these steps.
     *
     * @throws IllegalArgumentException when two steps share a name
     */
    public static StepLibrary of(Collection<? extends Step> list) {
        Map<String, Step> byName = new TreeMap<>();
        for (Step s : list) {
            Step previous = byName.putIfAbsent(s.descriptor().name(), s);
            if (previous != null) {
                throw new IllegalArgumentException("two steps are named " + s.descriptor().name() + ": "
                        + previous.getClass().getName() + " and " + s.getClass().getName());
            }
        }
        return new StepLibrary(byName);
    }

    public Optional<Step> find(String name) {
        return Optional.ofNullable(current().get(name));
    }

    public Optional<StepDescriptor> descriptor(String name) {
        return find(name).map(Step::descriptor);
    }

    /** Every step name, sorted. */
    public Collection<String> names() {
        return current().keySet();
    }

    /** Every step, sorted by name. */
    public Collection<Step> all() {
        return current().values();
    }
}
