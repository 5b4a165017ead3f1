package dev.gantry.plugins.git;

import dev.gantry.api.extension.GantryPlugin;

/**
 * The git plugin's start, on the controller and on every agent: its cache of bare repositories
 * (see {@link GitCache}) goes into the plugin's data directory, kept across restarts so that only
 * what is new is fetched; SSH key material of running operations goes to {@code ssh/} there,
 * emptied at each start. Each start also removes mirrors unused for long, in the background.
 */
public class GitPlugin extends GantryPlugin {
    private volatile Thread sweep;

    @Override
    public void start() {
        GitCache.root(context().dataDirectory().resolve("cache"));
        // Mirrors unused for long go also on a node that no longer checks anything out (see MirrorHousekeeping).
        sweep = Thread.ofVirtual().name("git-mirror-sweep").start(() -> GitCache.sweepIfDue(null));
        try {
            GitAuth.scratchRoot(context().dataDirectory().resolve("ssh"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("git: cannot clear " + context().dataDirectory().resolve("ssh")
                    + ", where SSH keys of checkouts go while they run: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        Thread t = sweep;
        if (t != null) {
            try {
                // A sweep deletes whole directories: let it finish what it started rather than leave half a mirror.
                t.join(java.time.Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
