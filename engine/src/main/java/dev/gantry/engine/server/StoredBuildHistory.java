package dev.gantry.engine.server;

import dev.gantry.api.Result;
import dev.gantry.engine.run.BuildHistory;
import dev.gantry.engine.store.BuildCause;
import dev.gantry.engine.store.BuildDetails;
import dev.gantry.engine.store.BuildRecord;
import dev.gantry.engine.store.BuildRepository;
import dev.gantry.engine.store.BuildStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A job's builds in the store as a build sees them ({@code currentBuild.previousBuild}): read
 * when asked, newest first, a page at a time, so that the newest match costs one query.
 */
final class StoredBuildHistory implements BuildHistory {
    private static final int PAGE = 50;
    private final BuildRepository builds;
    private final String job;
    private final Supplier<String> root;

    StoredBuildHistory(BuildRepository builds, String job, Supplier<String> root) {
        this.builds = builds;
        this.job = job;
        this.root = root;
    }

    @Override
    public PastBuild before(int number, Which which) {
        for (int offset = 0; ; offset += PAGE) {
            List<BuildRecord> page = builds.list(job, offset, PAGE);
            for (BuildRecord b : page) {
                boolean building = b.status() != BuildStatus.COMPLETED;
                Result result = building || b.result() == null ? null : Result.valueOf(b.result());
                if (b.number() < number && which.accepts(building, result)) {
                    return view(b, building, result);
                }
            }
            if (page.size() < PAGE) {
                return null;
            }
        }
    }

    private PastBuild view(BuildRecord b, boolean building, Result result) {
        BuildDetails d = builds.details(job, b.number()).orElse(new BuildDetails(null, null, Map.of()));
        long start = (b.startedAt() != null ? b.startedAt() : b.queuedAt()).toEpochMilli();
        return new PastBuild(job, b.number(), building, result, start, b.durationMillis(),
                d.displayName() == null ? "#" + b.number() : d.displayName(), d.description(), causes(b.causes()),
                d.variables(), BuildUrls.build(root.get(), job, b.number()));
    }

    /** Causes as Jenkins' {@code getBuildCauses()} lists them: {@code _class}, {@code shortDescription} and the cause's fields. */
    static List<Map<String, Object>> causes(List<BuildCause> causes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (BuildCause c : causes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("_class", c.type());
            m.put("shortDescription", c.shortDescription());
            if (c.type().equals(BuildCause.USER)) {
                m.put("userId", c.userId());
                m.put("userName", c.userId());
            }
            if (c.upstreamProject() != null) {
                m.put("upstreamBuild", c.upstreamBuild());
                m.put("upstreamProject", c.upstreamProject());
                m.put("upstreamUrl", c.upstreamUrl());
            }
            out.add(m);
        }
        return out;
    }
}
