package dev.gantry.engine.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.Result;
import dev.gantry.api.step.FlowInterruptedException;
import groovy.lang.Script;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SandboxCheckpointTest {

    @AfterEach
    void restoreDefaultHandler() {
        SandboxRuntime.setCheckpointHandler(null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"while (true) {}", "for (;;) {}", "do { } while (true)", "while (true) ;",
            "def f() { f() }\nwhile (true) { [1].each { } }", "for (def i = 0; i >= 0; i = 1) {}"})
    void infiniteLoopStopsWhenItsThreadIsInterrupted(String loop) throws Exception {
        Script script = new SandboxHarness().parse(loop);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread t = Thread.ofVirtual().start(() -> {
            started.countDown();
            try {
                script.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        t.interrupt();
        assertTrue(t.join(java.time.Duration.ofSeconds(20)), "loop did not stop: " + loop);
        FlowInterruptedException e = assertInstanceOf(FlowInterruptedException.class, thrown.get());
        assertEquals(Result.ABORTED, e.result());
    }

    @ParameterizedTest
    @ValueSource(strings = {"while (true) {}", "for (;;) {}", "def spin() { while (true) {} }\nspin()",
            "def c = { while (true) {} }\nc()"})
    void customHandlerAbortsInfiniteLoop(String loop) {
        AtomicInteger checks = new AtomicInteger();
        SandboxRuntime.setCheckpointHandler(() -> {
            if (checks.incrementAndGet() > 1000) {
                throw new IllegalStateException("aborted by handler");
            }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SandboxHarness().run(loop));
        assertEquals("aborted by handler", e.getMessage());
        assertTrue(checks.get() > 1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"def c = { 1 }\n5.times { c() }", "def f() { 1 }\n5.times { f() }"})
    void closureAndMethodBodiesAreCheckpoints(String text) {
        AtomicInteger checks = new AtomicInteger();
        SandboxRuntime.setCheckpointHandler(checks::incrementAndGet);
        new SandboxHarness().run(text);
        // 5 iterations of the times-closure, each calling one more body.
        assertTrue(checks.get() >= 10, "only " + checks.get() + " checkpoints");
    }
}
