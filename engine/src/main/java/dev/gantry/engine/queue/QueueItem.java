package dev.gantry.engine.queue;

import java.time.Instant;

/**
 * A build waiting in the queue and why it has not started, in Jenkins' words ("In the quiet
 * period. Expires in 4.2 sec", "Build #3 is already in progress", "Waiting for next available
 * executor").
 */
public record QueueItem(String job, int number, Instant queuedAt, String why) {
}
