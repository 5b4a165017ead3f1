/** Base classes that spare plugin authors the boilerplate ({@link dev.gantry.api.support.SimpleStep}). */
package dev.gantry.api.support;
