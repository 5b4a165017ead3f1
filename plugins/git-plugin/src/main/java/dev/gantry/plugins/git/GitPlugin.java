package dev.gantry.plugins.git;

import dev.gantry.api.extension.GantryPlugin;

/**
 * The git plugin's start: its cache of bare repositories (see {@link GitCache}) goes into the
 * plugin's data directory, kept across restarts so that the controller fetches only what is new.
 */
public class GitPlugin extends GantryPlugin {
    @Override
    public void start() {
        GitCache.root(context().dataDirectory().resolve("cache"));
    }
}
