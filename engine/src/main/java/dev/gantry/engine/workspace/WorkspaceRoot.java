package dev.gantry.engine.workspace;

import dev.gantry.api.workspace.Workspace;

/**
 * A workspace that knows the root it lies in: {@code dir('sub')} gives a child, and steps that
 * act on the whole workspace ({@code cleanWs}) need the root again.
 */
public interface WorkspaceRoot {
    /** The workspace root, on the same node; {@code this} when this is the root. */
    Workspace rootWorkspace();
}
