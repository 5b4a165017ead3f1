package dev.gantry.engine.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void countersWriteOneSamplePerLabelSet() {
        Metrics m = new Metrics();
        Metrics.Counter c = m.counter("builds_total", "Builds run.", "result");
        c.inc("SUCCESS");
        c.inc("SUCCESS");
        c.add(0.5, "FAILURE");
        assertEquals(2, c.value("SUCCESS"));
        assertEquals("""
                # HELP builds_total Builds run.
                # TYPE builds_total counter
                builds_total{result="FAILURE"} 0.5
                builds_total{result="SUCCESS"} 2
                """, m.scrape());
        assertThrows(IllegalArgumentException.class, () -> c.add(-1, "SUCCESS"));
        assertThrows(IllegalArgumentException.class, () -> c.inc());
    }

    @Test
    void gaugesAreSetOrReadFromACallback() {
        Metrics m = new Metrics();
        m.gauge("queue_length", "Queued builds.").set(3);
        m.gauge("executors_busy", "Busy executors.").bind(() -> 7);
        m.gauge("broken", "A failing callback.").bind(() -> {
            throw new IllegalStateException("x");
        });
        Metrics.Gauge g = m.gauge("temperature", "With labels.", "room");
        g.set(1.25, "a");
        g.add(-2, "a");
        String text = m.scrape();
        assertTrue(text.contains("\nqueue_length 3\n"), text);
        assertTrue(text.contains("\nexecutors_busy 7\n"), text);
        assertTrue(text.contains("\nbroken NaN\n"), text);
        assertTrue(text.contains("\ntemperature{room=\"a\"} -0.75\n"), text);
    }

    @Test
    void histogramsWriteCumulativeBucketsSumAndCount() {
        Metrics m = new Metrics();
        Metrics.Histogram h = m.histogram("step_seconds", "Step time.", new double[] {0.1, 1}, "step");
        h.observe(0.05, "sh");
        h.observe(0.1, "sh");
        h.observe(0.5, "sh");
        h.observe(3, "sh");
        assertEquals("""
                # HELP step_seconds Step time.
                # TYPE step_seconds histogram
                step_seconds_bucket{step="sh",le="0.1"} 2
                step_seconds_bucket{step="sh",le="1"} 3
                step_seconds_bucket{step="sh",le="+Inf"} 4
                step_seconds_sum{step="sh"} 3.65
                step_seconds_count{step="sh"} 4
                """, m.scrape());
        assertThrows(IllegalArgumentException.class, () -> m.histogram("step_seconds", "Step time.", new double[] {1}, "step"));
        assertThrows(IllegalArgumentException.class, () -> m.histogram("bad", "x", new double[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> m.histogram("bad2", "x", new double[] {1}, "le"));
    }

    @Test
    void labelValuesAndHelpAreEscaped() {
        Metrics m = new Metrics();
        m.counter("odd_total", "Line one\nback\\slash.", "job").inc("a\"b\\c\nd");
        assertEquals("""
                # HELP odd_total Line one\\nback\\\\slash.
                # TYPE odd_total counter
                odd_total{job="a\\"b\\\\c\\nd"} 1
                """, m.scrape());
        assertTrue(PrometheusText.parse(m.scrape()).containsKey("odd_total"));
    }

    @Test
    void registrationIsIdempotentButRefusesConflicts() {
        Metrics m = new Metrics();
        Metrics.Counter a = m.counter("x_total", "X.", "k");
        assertTrue(a == m.counter("x_total", "X.", "k"));
        assertThrows(IllegalArgumentException.class, () -> m.gauge("x_total", "X.", "k"));
        assertThrows(IllegalArgumentException.class, () -> m.counter("x_total", "X.", "other"));
        for (String bad : List.of("1abc", "a-b", "", "a b")) {
            assertThrows(IllegalArgumentException.class, () -> m.counter(bad, "bad"), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> m.counter("y_total", "Y.", "__reserved"));
    }

    @Test
    void jvmMetricsParse() {
        Map<String, String> types = PrometheusText.parse(new Metrics().registerJvm().registerJvm().scrape());
        assertEquals("gauge", types.get("jvm_memory_used_bytes"));
        assertEquals("gauge", types.get("jvm_threads_live"));
    }
}
