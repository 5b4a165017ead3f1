package dev.gantry.engine.cli;

/** Entry point of bin/gantry. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("gantry: not wired yet");
    }
}
