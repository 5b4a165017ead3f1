package dev.gantry.plugins.git;

import dev.gantry.api.extension.GantryPlugin;

/**
 * The git plugin's start, on the controller and on every agent: its cache of bare repositories
 * (see {@link GitCache}) goes into the plugin's data directory, kept across restarts so that only
 * what is new is fetched; SSH key material of running operations goes to {@code ssh/} there,
 * emptied at each start.
 */
public class GitPlugin extends GantryPlugin {
    @Override
    public void start() {
        GitCache.root(context().dataDirectory().resolve("cache"));
        try {
            GitAuth.scratchRoot(context().dataDirectory().resolve("ssh"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("git: cannot clear " + context().dataDirectory().resolve("ssh")
                    + ", where SSH keys of checkouts go while they run: " + e.getMessage(), e);
        }
    }
}
