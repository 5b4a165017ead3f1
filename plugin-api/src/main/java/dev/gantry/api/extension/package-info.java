/**
 * How plugins plug in: the marker every extension point extends, the optional plugin main class
 * and the context the engine hands it. A plugin is a PF4J jar whose manifest names it
 * ({@code Plugin-Id}, {@code Plugin-Version}, {@code Plugin-Requires} for the engine versions it
 * works with, {@code Plugin-Dependencies} on other plugins); {@code plugins/pom.xml} writes that
 * manifest. See {@code docs/plugin-authoring.md}.
 */
package dev.gantry.api.extension;
