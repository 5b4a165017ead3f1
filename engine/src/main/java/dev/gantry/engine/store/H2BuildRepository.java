package dev.gantry.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Builds in the {@code builds} table. Every query first resolves the job's id by its unique name
 * and then reads builds by {@code job_id}, so H2 always walks the primary key or the newest-first
 * index instead of sorting a job's whole history.
 */
final class H2BuildRepository implements BuildRepository {
    static final Set<String> RESULTS = Set.of("SUCCESS", "UNSTABLE", "FAILURE", "NOT_BUILT", "ABORTED");
    private static final String COLUMNS = "number, status, result, queued_at, started_at, duration_ms, parameters, stages, tests, artifacts, cause, causes";
    private final Transactions tx;
    private final BuildFiles files;

    /** Removes a build's files once its rows are gone. */
    interface BuildFiles {
        /** Deletes the build's directory, or only its artifacts; files already gone are fine. */
        void delete(long jobId, int number, boolean artifactsOnly);
    }

    H2BuildRepository(Transactions tx, BuildFiles files) {
        this.tx = tx;
        this.files = files;
    }

    @Override
    public boolean delete(String job, int number) {
        Objects.requireNonNull(job, "job");
        OptionalLong id = tx.run("deleting build " + job + " #" + number, c -> {
            OptionalLong found = Store.jobId(c, job, false);
            if (found.isEmpty()) {
                return found;
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM builds WHERE job_id = ? AND number = ? AND status = 'COMPLETED'")) {
                ps.setLong(1, found.getAsLong());
                ps.setInt(2, number);
                return ps.executeUpdate() == 1 ? found : OptionalLong.empty();
            }
        });
        // After the commit, as for jobs: a crash in between leaves files without a build, never the reverse.
        id.ifPresent(j -> files.delete(j, number, false));
        return id.isPresent();
    }

    @Override
    public boolean deleteArtifacts(String job, int number) {
        Objects.requireNonNull(job, "job");
        OptionalLong id = tx.run("deleting the artifacts of build " + job + " #" + number, c -> {
            OptionalLong found = Store.jobId(c, job, false);
            if (found.isEmpty()) {
                return found;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE builds SET artifacts = '[]' WHERE job_id = ? AND number = ? AND status = 'COMPLETED' AND artifacts <> '[]'")) {
                ps.setLong(1, found.getAsLong());
                ps.setInt(2, number);
                return ps.executeUpdate() == 1 ? found : OptionalLong.empty();
            }
        });
        id.ifPresent(j -> files.delete(j, number, true));
        return id.isPresent();
    }

    @Override
    public BuildRecord create(String job, Map<String, Object> parameters, List<BuildCause> causes) {
        Objects.requireNonNull(job, "job");
        if (causes == null || causes.isEmpty()) {
            throw new IllegalArgumentException("a build of job '" + job + "' needs at least one cause");
        }
        String parametersJson = Json.write(parameters == null ? Map.of() : parameters, "parameters");
        String causesJson = Json.write(causes, "causes");
        String cause = causes.get(0).shortDescription();
        return tx.run("queueing a build of job '" + job + "'", c -> {
            long id;
            int number;
            // FOR UPDATE holds the job row until commit, so concurrent creates take turns on the counter.
            try (PreparedStatement ps = c.prepareStatement("SELECT id, next_number FROM jobs WHERE name = ? FOR UPDATE")) {
                ps.setString(1, job);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NoSuchElementException("there is no job '" + job + "' to build; create it first");
                    }
                    id = rs.getLong(1);
                    number = rs.getInt(2);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET next_number = ? WHERE id = ?")) {
                ps.setInt(1, number + 1);
                ps.setLong(2, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO builds (job_id, number, status, queued_at, parameters, stages, tests, artifacts, cause, causes)"
                            + " VALUES (?, ?, 'QUEUED', ?, ?, '[]', '{}', '[]', ?, ?)")) {
                ps.setLong(1, id);
                ps.setInt(2, number);
                ps.setObject(3, Transactions.timestamp(Instant.now()));
                ps.setString(4, parametersJson);
                ps.setString(5, cause);
                ps.setString(6, causesJson);
                ps.executeUpdate();
            }
            return find(c, job, id, number).orElseThrow();
        });
    }

    @Override
    public void markRunning(String job, int number, Instant startedAt) {
        Objects.requireNonNull(startedAt, "startedAt");
        transition(job, number, "starting", "status = 'RUNNING', started_at = ?", Set.of(BuildStatus.QUEUED),
                ps -> ps.setObject(1, Transactions.timestamp(startedAt)));
    }

    @Override
    public void updateStages(String job, int number, List<StageRow> stages) {
        String json = Json.write(stages == null ? List.of() : stages, "stages");
        transition(job, number, "updating the stages of", "stages = ?", Set.of(BuildStatus.QUEUED, BuildStatus.RUNNING),
                ps -> ps.setString(1, json));
    }

    @Override
    public void complete(String job, int number, String result, long durationMillis, List<StageRow> stages,
                         Map<String, Integer> tests, List<String> artifacts) {
        if (!RESULTS.contains(result)) {
            throw new IllegalArgumentException("build result must be one of " + new java.util.TreeSet<>(RESULTS) + ", not " + result);
        }
        if (durationMillis < 0) {
            throw new IllegalArgumentException("build duration must not be negative, was " + durationMillis + " ms");
        }
        String stagesJson = Json.write(stages == null ? List.of() : stages, "stages");
        String testsJson = Json.write(tests == null ? Map.of() : tests, "tests");
        List<String> sorted = artifacts == null ? List.of() : artifacts.stream().sorted().toList();
        String artifactsJson = Json.write(sorted, "artifacts");
        transition(job, number, "completing", "status = 'COMPLETED', result = ?, duration_ms = ?, stages = ?, tests = ?, artifacts = ?",
                Set.of(BuildStatus.QUEUED, BuildStatus.RUNNING), ps -> {
                    ps.setString(1, result);
                    ps.setLong(2, durationMillis);
                    ps.setString(3, stagesJson);
                    ps.setString(4, testsJson);
                    ps.setString(5, artifactsJson);
                });
    }

    private interface Binder {
        /** Binds the SET clause's parameters, starting at 1. */
        void bind(PreparedStatement ps) throws SQLException;
    }

    /**
     * Updates one build when it is in one of {@code from}; the status check is in the UPDATE's
     * WHERE, so two racing transitions cannot both succeed.
     *
     * @throws NoSuchElementException when the build does not exist
     * @throws IllegalStateException when it is in another status
     */
    private void transition(String job, int number, String verb, String set, Set<BuildStatus> from, Binder binder) {
        Objects.requireNonNull(job, "job");
        StringBuilder in = new StringBuilder();
        for (BuildStatus s : from) {
            in.append(in.isEmpty() ? "'" : ", '").append(s.name()).append('\'');
        }
        tx.run(verb + " build " + job + " #" + number, c -> {
            long id = requireJob(c, job, number);
            int params = (int) set.chars().filter(ch -> ch == '?').count();
            try (PreparedStatement ps = c.prepareStatement("UPDATE builds SET " + set + " WHERE job_id = ? AND number = ? AND status IN (" + in + ")")) {
                binder.bind(ps);
                ps.setLong(params + 1, id);
                ps.setInt(params + 2, number);
                if (ps.executeUpdate() == 1) {
                    return null;
                }
            }
            BuildStatus current = find(c, job, id, number).map(BuildRecord::status)
                    .orElseThrow(() -> new NoSuchElementException("there is no build " + job + " #" + number));
            throw new IllegalStateException(verb + " build " + job + " #" + number + " needs it to be " + String.join(" or ", from.stream().map(Enum::name).sorted().toList())
                    + ", but it is " + current);
        });
    }

    private static long requireJob(Connection c, String job, int number) throws SQLException {
        return Store.jobId(c, job, false).orElseThrow(() -> new NoSuchElementException("there is no build " + job + " #" + number + ": no job '" + job + "'"));
    }

    @Override
    public Optional<BuildRecord> find(String job, int number) {
        Objects.requireNonNull(job, "job");
        return tx.run("reading build " + job + " #" + number, c -> {
            OptionalLong id = Store.jobId(c, job, false);
            return id.isPresent() ? find(c, job, id.getAsLong(), number) : Optional.<BuildRecord>empty();
        });
    }

    private static Optional<BuildRecord> find(Connection c, String job, long id, int number) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM builds WHERE job_id = ? AND number = ?")) {
            ps.setLong(1, id);
            ps.setInt(2, number);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(build(rs, job)) : Optional.empty();
            }
        }
    }

    @Override
    public List<BuildRecord> list(String job, int offset, int limit) {
        Objects.requireNonNull(job, "job");
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("listing builds of '" + job + "' needs offset >= 0 and limit >= 0, got offset " + offset + " and limit " + limit);
        }
        return tx.run("listing builds of job '" + job + "'", c -> {
            List<BuildRecord> builds = new ArrayList<>();
            OptionalLong id = Store.jobId(c, job, false);
            if (id.isEmpty() || limit == 0) {
                return builds;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM builds WHERE job_id = ? ORDER BY number DESC LIMIT ? OFFSET ?")) {
                ps.setLong(1, id.getAsLong());
                ps.setInt(2, limit);
                ps.setInt(3, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        builds.add(build(rs, job));
                    }
                }
            }
            return builds;
        });
    }

    @Override
    public List<BuildRecord> withStatus(BuildStatus status) {
        Objects.requireNonNull(status, "status");
        return tx.run("listing " + status + " builds", c -> {
            List<BuildRecord> builds = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT j.name, b." + COLUMNS.replace(", ", ", b.")
                    + " FROM builds b JOIN jobs j ON j.id = b.job_id WHERE b.status = ? ORDER BY b.queued_at, b.job_id, b.number")) {
                ps.setString(1, status.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        builds.add(build(rs, rs.getString("name")));
                    }
                }
            }
            return builds;
        });
    }

    @Override
    public int count(String job) {
        Objects.requireNonNull(job, "job");
        return tx.run("counting builds of job '" + job + "'", c -> {
            OptionalLong id = Store.jobId(c, job, false);
            if (id.isEmpty()) {
                return 0;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM builds WHERE job_id = ?")) {
                ps.setLong(1, id.getAsLong());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** Whether the build exists (for the log and artifact directories). */
    static boolean exists(Connection c, long jobId, int number) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM builds WHERE job_id = ? AND number = ?")) {
            ps.setLong(1, jobId);
            ps.setInt(2, number);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static BuildRecord build(ResultSet rs, String job) throws SQLException {
        return new BuildRecord(job, rs.getInt("number"), BuildStatus.valueOf(rs.getString("status")), rs.getString("result"),
                Transactions.instant(rs, "queued_at"), Transactions.instant(rs, "started_at"), rs.getLong("duration_ms"),
                Collections.unmodifiableMap(new LinkedHashMap<>(Json.parameters(rs.getString("parameters")))),
                Collections.unmodifiableList(Json.stages(rs.getString("stages"))),
                Collections.unmodifiableMap(Json.tests(rs.getString("tests"))),
                Collections.unmodifiableList(Json.strings(rs.getString("artifacts"))),
                rs.getString("cause"), Json.causes(rs.getString("causes")));
    }

    @Override
    public void saveDetails(String job, int number, BuildDetails details) {
        Objects.requireNonNull(details, "details");
        String variables = Json.write(details.variables(), "variables");
        String name = limit(details.displayName(), 10_000, "display name");
        String description = limit(details.description(), 100_000, "description");
        transition(job, number, "saving the details of", "display_name = ?, description = ?, variables = ?",
                Set.of(BuildStatus.QUEUED, BuildStatus.RUNNING, BuildStatus.COMPLETED), ps -> {
                    ps.setString(1, name);
                    ps.setString(2, description);
                    ps.setString(3, variables);
                });
    }

    private static String limit(String text, int max, String what) {
        if (text != null && text.length() > max) {
            throw new IllegalArgumentException("the build's " + what + " has " + text.length() + " characters; at most " + max + " are stored");
        }
        return text;
    }

    @Override
    public Optional<BuildDetails> details(String job, int number) {
        Objects.requireNonNull(job, "job");
        return tx.run("reading the details of build " + job + " #" + number, c -> {
            OptionalLong id = Store.jobId(c, job, false);
            if (id.isEmpty()) {
                return Optional.<BuildDetails>empty();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT display_name, description, variables FROM builds WHERE job_id = ? AND number = ?")) {
                ps.setLong(1, id.getAsLong());
                ps.setInt(2, number);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new BuildDetails(rs.getString(1), rs.getString(2), Json.variables(rs.getString(3))))
                            : Optional.<BuildDetails>empty();
                }
            }
        });
    }
}
