package dev.gantry.engine.store;

import java.nio.file.Path;

/** Child process for {@link StoreLifecycleTest}: keeps a home open until its stdin closes. */
public final class HoldingOpener {
    private HoldingOpener() {
    }

    public static void main(String[] args) throws Exception {
        try (Store store = Store.open(Path.of(args[0]))) {
            System.out.println("open");
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
