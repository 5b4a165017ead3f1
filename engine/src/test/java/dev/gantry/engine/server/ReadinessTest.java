package dev.gantry.engine.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gantry.engine.testing.ControllerFixture;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /ready waits for what the start-up does in the background (plugins, the first administrator). */
class ReadinessTest {
    @TempDir
    Path tmp;

    @Test
    void readyAnswers503UntilEveryBackgroundStartIsDone() throws Exception {
        try (ControllerFixture f = ControllerFixture.start(tmp.resolve("home"), 1)) {
            assertEquals(200, f.sendText(f.anonymous("/ready").GET().build()).statusCode());
            AtomicBoolean plugins = new AtomicBoolean();
            AtomicBoolean admin = new AtomicBoolean();
            f.controller.readiness(plugins::get);
            f.controller.readiness(admin::get);
            assertEquals(503, f.sendText(f.anonymous("/ready").GET().build()).statusCode());
            plugins.set(true);
            assertEquals(503, f.sendText(f.anonymous("/ready").GET().build()).statusCode());
            admin.set(true);
            assertEquals(200, f.sendText(f.anonymous("/ready").GET().build()).statusCode());
        }
    }
}
