/** Notifications of ended builds, for rules configured without pipeline code ({@link dev.gantry.api.notify.Notifier}). */
package dev.gantry.api.notify;
