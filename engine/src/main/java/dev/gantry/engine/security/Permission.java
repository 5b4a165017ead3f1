package dev.gantry.engine.security;

import java.util.Locale;

/**
 * What a user may do, granted through {@link Role}s globally or on a folder. Every REST resource
 * method declares the one it needs with {@link Requires}.
 */
public enum Permission {
    READ, BUILD, CANCEL, REPLAY, CONFIGURE, DELETE, MANAGE_AGENTS, MANAGE_PLUGINS, MANAGE_CREDENTIALS, ADMINISTER;

    /** The name in messages and JSON: {@code read}, {@code manage agents}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
