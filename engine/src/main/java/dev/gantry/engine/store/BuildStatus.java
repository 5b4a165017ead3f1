package dev.gantry.engine.store;

/** Where a build is in its life. */
public enum BuildStatus { QUEUED, RUNNING, COMPLETED }
