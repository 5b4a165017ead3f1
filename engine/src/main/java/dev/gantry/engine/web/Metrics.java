package dev.gantry.engine.web;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A small, dependency-free metrics registry that writes the Prometheus text exposition format
 * (version 0.0.4) for {@code GET /metrics}. Counters, gauges and histograms with optional labels;
 * any part of the engine can register its own. Thread-safe: updates are lock-free adders.
 */
public final class Metrics {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** Seconds; suits HTTP requests and most engine operations. */
    public static final double[] DEFAULT_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<String, Family<?>> families = new ConcurrentSkipListMap<>();

    /** An empty registry. */
    public Metrics() {
    }

    /**
     * Registers the JVM's memory ({@code jvm_memory_used_bytes}, {@code jvm_memory_committed_bytes},
     * {@code jvm_memory_max_bytes} by {@code area}) and thread gauges ({@code jvm_threads_live},
     * {@code jvm_threads_daemon}, {@code jvm_threads_peak}). Idempotent.
     *
     * @return this registry
     */
    public Metrics registerJvm() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Gauge used = gauge("jvm_memory_used_bytes", "Used bytes of a JVM memory area.", "area");
        Gauge committed = gauge("jvm_memory_committed_bytes", "Committed bytes of a JVM memory area.", "area");
        Gauge max = gauge("jvm_memory_max_bytes", "Maximum bytes of a JVM memory area (-1 when undefined).", "area");
        for (String area : List.of("heap", "nonheap")) {
            java.util.function.Supplier<MemoryUsage> usage = area.equals("heap") ? memory::getHeapMemoryUsage : memory::getNonHeapMemoryUsage;
            used.bind(() -> usage.get().getUsed(), area);
            committed.bind(() -> usage.get().getCommitted(), area);
            max.bind(() -> usage.get().getMax(), area);
        }
        gauge("jvm_threads_live", "Live JVM threads.").bind(threads::getThreadCount);
        gauge("jvm_threads_daemon", "Live JVM daemon threads.").bind(threads::getDaemonThreadCount);
        gauge("jvm_threads_peak", "Peak live JVM threads since start.").bind(threads::getPeakThreadCount);
        return this;
    }

    /**
     * A counter (only goes up), registered on first call; later calls with the same name and label
     * names return the same counter.
     *
     * @param name a Prometheus metric name, conventionally ending in {@code _total}
     * @throws IllegalArgumentException for an invalid name or label name, or when the name is
     *     registered already as another type or with other label names
     */
    public Counter counter(String name, String help, String... labelNames) {
        return register(name, help, "counter", labelNames, f -> new Counter(f));
    }

    /** A gauge (a value that goes up and down); same registration rules as {@link #counter}. */
    public Gauge gauge(String name, String help, String... labelNames) {
        return register(name, help, "gauge", labelNames, f -> new Gauge(f));
    }

    /**
     * A histogram with the given upper bucket bounds (ascending; {@code +Inf} is added); same
     * registration rules as {@link #counter}, and the buckets must match too.
     */
    public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
        double[] sorted = buckets.clone();
        for (int i = 1; i < sorted.length; i++) {
            if (!(sorted[i] > sorted[i - 1])) {
                throw new IllegalArgumentException("histogram " + name + ": bucket bounds must be strictly ascending, got " + Arrays.toString(buckets));
            }
        }
        Histogram h = register(name, help, "histogram", labelNames, f -> new Histogram(f, sorted));
        if (!Arrays.equals(h.bounds, sorted)) {
            throw new IllegalArgumentException("histogram " + name + " is registered already with buckets " + Arrays.toString(h.bounds));
        }
        return h;
    }

    /**
     * Writes every metric in the Prometheus text format, families sorted by name. Callback gauges
     * are evaluated now; one that throws is written as NaN.
     */
    public void writeTo(Appendable out) throws IOException {
        for (Family<?> f : families.values()) {
            f.write(out);
        }
    }

    /** The text exposition as a string (see {@link #writeTo}). */
    public String scrape() {
        StringBuilder b = new StringBuilder();
        try {
            writeTo(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private <T extends Family<?>> T register(String name, String help, String type, String[] labelNames, Function<Meta, T> create) {
        Objects.requireNonNull(help, "help");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid metric name: use letters, digits, '_' and ':', not starting with a digit");
        }
        for (String l : labelNames) {
            if (l == null || !LABEL.matcher(l).matches() || l.startsWith("__") || (type.equals("histogram") && l.equals("le"))) {
                throw new IllegalArgumentException("'" + l + "' is not a valid label name for metric " + name);
            }
        }
        Meta meta = new Meta(name, help, type, List.of(labelNames));
        Family<?> f = families.computeIfAbsent(name, n -> create.apply(meta));
        if (!f.meta.type.equals(type) || !f.meta.labelNames.equals(meta.labelNames)) {
            throw new IllegalArgumentException("metric " + name + " is registered already as a " + f.meta.type + " with labels " + f.meta.labelNames);
        }
        return (T) f;
    }

    private record Meta(String name, String help, String type, List<String> labelNames) {
    }

    /** Common part of the three metric types: the children by label values. */
    abstract static sealed class Family<C> permits Counter, Gauge, Histogram {
        final Meta meta;
        final Map<List<String>, C> children = new ConcurrentHashMap<>();

        Family(Meta meta) {
            this.meta = meta;
        }

        C child(String[] labelValues) {
            if (labelValues.length != meta.labelNames.size()) {
                throw new IllegalArgumentException("metric " + meta.name + " has labels " + meta.labelNames + " but got " + labelValues.length + " values");
            }
            for (String v : labelValues) {
                Objects.requireNonNull(v, "label value");
            }
            return children.computeIfAbsent(List.of(labelValues), k -> newChild());
        }

        abstract C newChild();

        abstract void writeChild(Appendable out, List<String> labelValues, C child) throws IOException;

        void write(Appendable out) throws IOException {
            out.append("# HELP ").append(meta.name).append(' ').append(escapeHelp(meta.help)).append('\n');
            out.append("# TYPE ").append(meta.name).append(' ').append(meta.type).append('\n');
            List<Map.Entry<List<String>, C>> entries = new ArrayList<>(children.entrySet());
            entries.sort((a, b) -> String.join("\u0000", a.getKey()).compareTo(String.join("\u0000", b.getKey())));
            for (Map.Entry<List<String>, C> e : entries) {
                writeChild(out, e.getKey(), e.getValue());
            }
        }

        void sample(Appendable out, String suffix, List<String> labelValues, String extraLabel, String extraValue, double value) throws IOException {
            out.append(meta.name).append(suffix);
            if (!labelValues.isEmpty() || extraLabel != null) {
                out.append('{');
                String sep = "";
                for (int i = 0; i < labelValues.size(); i++) {
                    out.append(sep).append(meta.labelNames.get(i)).append("=\"").append(escapeLabel(labelValues.get(i))).append('"');
                    sep = ",";
                }
                if (extraLabel != null) {
                    out.append(sep).append(extraLabel).append("=\"").append(extraValue).append('"');
                }
                out.append('}');
            }
            out.append(' ').append(format(value)).append('\n');
        }
    }

    /** A monotonically increasing count. */
    public static final class Counter extends Family<DoubleAdder> {
        Counter(Meta meta) {
            super(meta);
        }

        /** Adds one to the child with these label values (in label-name order). */
        public void inc(String... labelValues) {
            add(1, labelValues);
        }

        /**
         * Adds {@code amount} to the child with these label values.
         *
         * @throws IllegalArgumentException when amount is negative or the label values do not fit
         */
        public void add(double amount, String... labelValues) {
            if (amount < 0) {
                throw new IllegalArgumentException("counter " + meta.name + " cannot decrease (got " + amount + ")");
            }
            child(labelValues).add(amount);
        }

        /** The current value for these label values (0 when never touched). */
        public double value(String... labelValues) {
            DoubleAdder a = children.get(List.of(labelValues));
            return a == null ? 0 : a.sum();
        }

        @Override
        DoubleAdder newChild() {
            return new DoubleAdder();
        }

        @Override
        void writeChild(Appendable out, List<String> labelValues, DoubleAdder child) throws IOException {
            sample(out, "", labelValues, null, null, child.sum());
        }
    }

    /** A value that goes up and down: set directly, or read from a callback at scrape time. */
    public static final class Gauge extends Family<AtomicReference<DoubleSupplier>> {
        Gauge(Meta meta) {
            super(meta);
        }

        /** Sets the child with these label values to {@code value}. */
        public void set(double value, String... labelValues) {
            child(labelValues).set(new Fixed(value));
        }

        /** Adds {@code delta} (may be negative) to a directly set child. */
        public void add(double delta, String... labelValues) {
            child(labelValues).updateAndGet(s -> new Fixed(s.getAsDouble() + delta));
        }

        /**
         * Makes the child with these label values read {@code supplier} at every scrape. The
         * supplier must be fast and thread-safe.
         */
        public void bind(DoubleSupplier supplier, String... labelValues) {
            child(labelValues).set(Objects.requireNonNull(supplier, "supplier"));
        }

        @Override
        AtomicReference<DoubleSupplier> newChild() {
            return new AtomicReference<>(new Fixed(0));
        }

        @Override
        void writeChild(Appendable out, List<String> labelValues, AtomicReference<DoubleSupplier> child) throws IOException {
            double v;
            try {
                v = child.get().getAsDouble();
            } catch (RuntimeException e) {
                v = Double.NaN;
            }
            sample(out, "", labelValues, null, null, v);
        }

        private record Fixed(double value) implements DoubleSupplier {
            @Override
            public double getAsDouble() {
                return value;
            }
        }
    }

    /** Observations counted into cumulative buckets, with their sum and count. */
    public static final class Histogram extends Family<Histogram.Child> {
        private final double[] bounds;

        Histogram(Meta meta, double[] bounds) {
            super(meta);
            this.bounds = bounds;
        }

        /** Records one observation for these label values. */
        public void observe(double value, String... labelValues) {
            Child c = child(labelValues);
            int i = 0;
            while (i < bounds.length && value > bounds[i]) {
                i++;
            }
            c.buckets[i].increment();
            c.sum.add(value);
        }

        @Override
        Child newChild() {
            return new Child(bounds.length + 1);
        }

        @Override
        void writeChild(Appendable out, List<String> labelValues, Child child) throws IOException {
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += child.buckets[i].sum();
                sample(out, "_bucket", labelValues, "le", i < bounds.length ? format(bounds[i]) : "+Inf", cumulative);
            }
            sample(out, "_sum", labelValues, null, null, child.sum.sum());
            sample(out, "_count", labelValues, null, null, cumulative);
        }

        static final class Child {
            final LongAdder[] buckets;
            final DoubleAdder sum = new DoubleAdder();

            Child(int n) {
                buckets = new LongAdder[n];
                for (int i = 0; i < n; i++) {
                    buckets[i] = new LongAdder();
                }
            }
        }
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
