/** Contributions to the web UI: panels on the build page ({@link dev.gantry.api.ui.BuildPanel}). */
package dev.gantry.api.ui;
