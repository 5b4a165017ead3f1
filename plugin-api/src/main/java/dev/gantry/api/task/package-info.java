/** Plugin work that runs on agents ({@link dev.gantry.api.task.TaskHandlerExtension}). */
package dev.gantry.api.task;
