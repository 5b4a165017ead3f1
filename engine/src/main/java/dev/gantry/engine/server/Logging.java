package dev.gantry.engine.server;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The controller's log: one line per record on standard error, Gantry's own at INFO, libraries
 * (Jetty, Jersey, Flyway, H2) at WARNING so that start-up is quiet. {@code -Dgantry.log.level=FINE}
 * makes Gantry's own chattier.
 */
public final class Logging {
    private Logging() {
    }

    public static void configure() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new SimpleFormatter());
        console.setLevel(Level.ALL);
        root.addHandler(console);
        root.setLevel(Level.WARNING);
        Logger.getLogger("dev.gantry").setLevel(Level.parse(System.getProperty("gantry.log.level", "INFO")));
    }
}
