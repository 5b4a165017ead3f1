package dev.gantry.engine.queue;

import dev.gantry.engine.jobs.LogRotator;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildRepository;
import dev.gantry.engine.store.BuildStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Jenkins' {@code logRotator}, rule for rule (hudson.tasks.LogRotator#perform), run after each
 * build of a job completes:
 * <ol>
 * <li>{@code numToKeep}: of the job's builds, newest first, every one after the first
 *     {@code numToKeep} is deleted;</li>
 * <li>{@code daysToKeep}: from the oldest build on, builds that started more than
 *     {@code daysToKeep} days ago are deleted, stopping at the first younger one;</li>
 * <li>{@code artifactNumToKeep} and {@code artifactDaysToKeep}: the same two rules, deleting only
 *     the builds' artifacts.</li>
 * </ol>
 * Never deleted: a build that is still running (queued builds are not builds yet, as in Jenkins,
 * and do not count), the last successful build (SUCCESS or UNSTABLE) and the last stable build
 * (SUCCESS). Deleting a build deletes its record, log and artifacts. Stateless; calls for one job
 * must not overlap (the controller serialises them).
 */
public final class BuildDiscarder {
    private static final int PAGE = 500;

    private BuildDiscarder() {
    }

    /** What one run deleted: whole builds, and builds whose artifacts only. */
    public record Discarded(List<Integer> builds, List<Integer> artifacts) {
    }

    /** Applies {@code rotator} to {@code job}'s builds as of {@code now}. */
    public static Discarded apply(String job, LogRotator rotator, BuildRepository repository, Instant now) {
        Objects.requireNonNull(rotator, "rotator");
        List<Integer> deleted = new ArrayList<>();
        List<Integer> artifacts = new ArrayList<>();
        if (rotator.numToKeep() >= 0) {
            List<BuildRecord> builds = builds(job, repository);
            Kept kept = Kept.of(builds);
            for (BuildRecord b : builds.subList(Math.min(builds.size(), rotator.numToKeep()), builds.size())) {
                if (!kept.keeps(b) && repository.delete(job, b.number())) {
                    deleted.add(b.number());
                }
            }
        }
        if (rotator.daysToKeep() >= 0) {
            List<BuildRecord> builds = builds(job, repository);
            Kept kept = Kept.of(builds);
            Instant cutoff = now.minus(Duration.ofDays(rotator.daysToKeep()));
            for (BuildRecord b : builds.reversed()) {
                if (!timestamp(b).isBefore(cutoff)) {
                    break;
                }
                if (!kept.keeps(b) && repository.delete(job, b.number())) {
                    deleted.add(b.number());
                }
            }
        }
        if (rotator.artifactNumToKeep() >= 0) {
            List<BuildRecord> builds = builds(job, repository);
            Kept kept = Kept.of(builds);
            for (BuildRecord b : builds.subList(Math.min(builds.size(), rotator.artifactNumToKeep()), builds.size())) {
                if (!kept.keeps(b) && repository.deleteArtifacts(job, b.number())) {
                    artifacts.add(b.number());
                }
            }
        }
        if (rotator.artifactDaysToKeep() >= 0) {
            List<BuildRecord> builds = builds(job, repository);
            Kept kept = Kept.of(builds);
            Instant cutoff = now.minus(Duration.ofDays(rotator.artifactDaysToKeep()));
            for (BuildRecord b : builds.reversed()) {
                if (!timestamp(b).isBefore(cutoff)) {
                    break;
                }
                if (!kept.keeps(b) && repository.deleteArtifacts(job, b.number())) {
                    artifacts.add(b.number());
                }
            }
        }
        return new Discarded(List.copyOf(deleted), List.copyOf(artifacts));
    }

    /** Jenkins' build timestamp: when the build started (when it was queued, if it never started). */
    private static Instant timestamp(BuildRecord b) {
        return b.startedAt() != null ? b.startedAt() : b.queuedAt();
    }

    /** The job's builds, newest first, without queued ones. */
    private static List<BuildRecord> builds(String job, BuildRepository repository) {
        List<BuildRecord> all = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            List<BuildRecord> page = repository.list(job, offset, PAGE);
            for (BuildRecord b : page) {
                if (b.status() != BuildStatus.QUEUED) {
                    all.add(b);
                }
            }
            if (page.size() < PAGE) {
                return all;
            }
        }
    }

    /** The builds no rule may delete. */
    private record Kept(int lastSuccessful, int lastStable) {
        static Kept of(List<BuildRecord> newestFirst) {
            int successful = -1;
            int stable = -1;
            for (BuildRecord b : newestFirst) {
                if (b.status() != BuildStatus.COMPLETED) {
                    continue;
                }
                if (successful < 0 && ("SUCCESS".equals(b.result()) || "UNSTABLE".equals(b.result()))) {
                    successful = b.number();
                }
                if (stable < 0 && "SUCCESS".equals(b.result())) {
                    stable = b.number();
                }
            }
            return new Kept(successful, stable);
        }

        boolean keeps(BuildRecord b) {
            return b.status() != BuildStatus.COMPLETED || b.number() == lastSuccessful || b.number() == lastStable;
        }
    }
}
