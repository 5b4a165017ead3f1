package dev.gantry.engine.steps;

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
 * {@link #snapshot()} so that its steps stay the same from its first line to its last.
 */
public final class StepLibrary {
    private final Map<String, Step> steps;
    private final Supplier<StepLibrary> source;

    private StepLibrary(Map<String, Step> steps) {
        this.steps = Collections.unmodifiableMap(steps);
        this.source = null;
    }

    private StepLibrary(Supplier<StepLibrary> source) {
        this.steps = null;
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
        return new StepLibrary(all);
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
