package dev.gantry.engine.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A Jenkins cron specification ({@code triggers { cron(...) }}, {@code pollSCM(...)}): one schedule
 * a line, five fields (minute hour day-of-month month day-of-week) with {@code *}, ranges, steps,
 * lists, month and day names, {@code H} (a value hashed from the job name, spreading load), the
 * {@code @daily}-style aliases, {@code #} comments and an optional leading {@code TZ=zone} line.
 * As in Jenkins, day of month and day of week must both match. Immutable and thread-safe.
 */
public final class CronSpec {
    private static final String[] FIELDS = {"minute", "hour", "day-of-month", "month", "day-of-week"};
    private static final int[] LOW = {0, 0, 1, 1, 0};
    private static final int[] HIGH = {59, 23, 31, 12, 7};
    private static final Map<String, String> ALIASES = Map.of("@yearly", "H H H H *", "@annually", "H H H H *",
            "@monthly", "H H H * *", "@weekly", "H H * * H", "@daily", "H H * * *", "@midnight", "H H(0-2) * * *",
            "@hourly", "H * * * *");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
            "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    /** One term of a field: a range with a step, possibly hashed. */
    private record Term(int from, int to, int step, boolean hashed) {
    }

    private record Line(List<List<Term>> fields) {
    }

    private final String spec;
    private final List<Line> lines;
    private final ZoneId zone;

    private CronSpec(String spec, List<Line> lines, ZoneId zone) {
        this.spec = spec;
        this.lines = lines;
        this.zone = zone;
    }

    /**
     * Parses a specification.
     *
     * @param spec the text; may have several lines, blank lines and {@code #} comments
     * @throws IllegalArgumentException saying which line and field are wrong and why, or that
     *     there is no schedule at all
     */
    public static CronSpec parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("no cron spec given");
        }
        List<Line> lines = new ArrayList<>();
        ZoneId zone = null;
        String[] raw = spec.split("\\r?\\n", -1);
        for (int n = 0; n < raw.length; n++) {
            String text = raw[n].strip();
            String where = raw.length > 1 ? "line " + (n + 1) + ": " : "";
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (text.startsWith("TZ=")) {
                if (!lines.isEmpty()) {
                    throw new IllegalArgumentException(where + "TZ= must come before the schedules");
                }
                try {
                    zone = ZoneId.of(text.substring(3).strip());
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException(where + "unknown time zone '" + text.substring(3).strip() + "'");
                }
                continue;
            }
            if (text.startsWith("@")) {
                String alias = ALIASES.get(text.toLowerCase(Locale.ROOT));
                if (alias == null) {
                    throw new IllegalArgumentException(where + "unknown alias '" + text + "'; use one of "
                            + "@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly");
                }
                text = alias;
            }
            String[] parts = text.split("\\s+");
            if (parts.length != 5) {
                throw new IllegalArgumentException(where + "expected 5 fields (minute hour day-of-month month"
                        + " day-of-week) but found " + parts.length + " in '" + text + "'");
            }
            List<List<Term>> fields = new ArrayList<>();
            for (int f = 0; f < 5; f++) {
                fields.add(field(parts[f], f, where));
            }
            lines.add(new Line(fields));
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("the cron spec has no schedule, only blank lines or comments");
        }
        return new CronSpec(spec, List.copyOf(lines), zone);
    }

    private static List<Term> field(String text, int f, String where) {
        String prefix = where + FIELDS[f] + " field '" + text + "': ";
        List<Term> terms = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException(prefix + "empty list element");
            }
            terms.add(term(part, f, prefix));
        }
        return terms;
    }

    private static Term term(String part, int f, String prefix) {
        String range = part;
        int step = 1;
        boolean explicitStep = false;
        int slash = part.indexOf('/');
        if (slash >= 0) {
            range = part.substring(0, slash);
            step = number(part.substring(slash + 1), -1, prefix + "step");
            explicitStep = true;
            if (step <= 0) {
                throw new IllegalArgumentException(prefix + "step must be positive, not " + step);
            }
        }
        if (range.equals("*") || range.equals("H")) {
            int low = LOW[f];
            int high = HIGH[f];
            boolean hashed = range.equals("H");
            if (hashed && f == 2) {
                high = 28;
            }
            if (hashed && f == 4) {
                high = 6;
            }
            checkStep(step, low, high, prefix);
            return new Term(low, high, step, hashed);
        }
        boolean hashed = false;
        if (range.startsWith("H(") && range.endsWith(")")) {
            hashed = true;
            range = range.substring(2, range.length() - 1);
        } else if (range.startsWith("H")) {
            throw new IllegalArgumentException(prefix + "write H, H/n or H(a-b), not '" + range + "'");
        }
        int dash = range.indexOf('-', 1);
        if (dash < 0) {
            if (hashed) {
                throw new IllegalArgumentException(prefix + "H( ) needs a range such as H(0-29)");
            }
            if (explicitStep) {
                throw new IllegalArgumentException(prefix + "a step needs a range or *, as in */" + step
                        + " or 0-59/" + step);
            }
            int v = value(range, f, prefix);
            return new Term(v, v, 1, false);
        }
        int from = value(range.substring(0, dash), f, prefix);
        int to = value(range.substring(dash + 1), f, prefix);
        if (to < from) {
            throw new IllegalArgumentException(prefix + "range " + from + "-" + to + " goes backwards; write "
                    + to + "-" + from);
        }
        checkStep(step, from, to, prefix);
        return new Term(from, to, step, hashed);
    }

    private static void checkStep(int step, int low, int high, String prefix) {
        if (step > high - low + 1) {
            throw new IllegalArgumentException(prefix + "step " + step + " is larger than the range " + low + "-"
                    + high);
        }
    }

    private static int value(String text, int f, String prefix) {
        String upper = text.toUpperCase(Locale.ROOT);
        if (f == 3 && MONTHS.contains(upper)) {
            return MONTHS.indexOf(upper) + 1;
        }
        if (f == 4 && DAYS.contains(upper)) {
            return DAYS.indexOf(upper);
        }
        int v = number(text, f, prefix);
        if (v < LOW[f] || v > HIGH[f]) {
            throw new IllegalArgumentException(prefix + v + " is out of range " + LOW[f] + "-" + HIGH[f]);
        }
        return v;
    }

    private static int number(String text, int f, String prefix) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
            String names = f == 3 ? " or a month name (JAN-DEC)" : f == 4 ? " or a day name (SUN-SAT)" : "";
            throw new IllegalArgumentException(prefix + "'" + text + "' is not a number" + names);
        }
        return Integer.parseInt(text);
    }

    /** The specification as given. */
    public String spec() {
        return spec;
    }

    /** The zone of a {@code TZ=} line, or null when the schedule follows the caller's zone. */
    public ZoneId zone() {
        return zone;
    }

    /**
     * The first time after {@code after} (strictly, whole minutes) at which the schedule fires.
     * Shorthand for {@code schedule(jobName).next(after)}.
     *
     * @param after the time to start from; its zone is used unless the spec has a {@code TZ=} line
     * @param jobName the job's full name; null hashes every {@code H} to the lowest value
     * @return the next fire time in the zone of {@code after}, or null when the schedule can never
     *     fire (such as February 30) within the next 30 years
     */
    public ZonedDateTime next(ZonedDateTime after, String jobName) {
        return schedule(jobName).next(after);
    }

    /**
     * The schedule of one job: every {@code H} replaced by its value for that job. The values are
     * hashed from the job's full name exactly as Jenkins does ({@code hudson.scheduler.Hash}):
     * the MD5 digest of the name's UTF-8 bytes, its last 8 bytes XORed onto its first 8, read
     * big-endian as a {@code long} that seeds one {@link Random}; each {@code H} in turn, line by
     * line and field by field (minute, hour, day of month, month, day of week), takes
     * {@code nextInt(n)} of it. {@code H} alone picks one value of its range ({@code nextInt(size)}),
     * {@code H/s} and {@code H(a-b)/s} pick the offset of the first value ({@code nextInt(s)}).
     * So a job keeps its times across restarts and matches what Jenkins shows for the same name.
     *
     * @param jobName the job's full name ({@code team-a/api}); null hashes every {@code H} to the
     *     lowest value
     */
    public Schedule schedule(String jobName) {
        Random random = jobName == null ? null : random(jobName);
        List<long[]> all = new ArrayList<>();
        for (Line line : lines) {
            long[] bits = new long[5];
            for (int f = 0; f < 5; f++) {
                for (Term t : line.fields().get(f)) {
                    bits[f] |= bits(t, random);
                }
            }
            if ((bits[4] & (1L << 7)) != 0) {
                bits[4] |= 1L;
            }
            all.add(bits);
        }
        return new Schedule(List.copyOf(all), zone);
    }

    /**
     * One job's schedule, with its {@code H} values fixed. As in Jenkins, a minute fires when its
     * wall-clock time in the schedule's zone matches a line: on the day clocks go forward, the
     * skipped wall-clock minutes never fire; on the day they go back, the repeated ones fire twice.
     * Immutable and thread-safe.
     */
    public static final class Schedule {
        private final List<long[]> lines;
        private final ZoneId zone;

        private Schedule(List<long[]> lines, ZoneId zone) {
            this.lines = lines;
            this.zone = zone;
        }

        /** The zone of the spec's {@code TZ=} line, or null when the caller's zone applies. */
        public ZoneId zone() {
            return zone;
        }

        /**
         * Whether the schedule fires in the minute that holds {@code time} (seconds are ignored).
         * The time is seen in the {@code TZ=} zone, else in its own zone.
         */
        public boolean matches(ZonedDateTime time) {
            ZonedDateTime t = zone == null ? time : time.withZoneSameInstant(zone);
            for (long[] bits : lines) {
                if (matches(bits, t.getMonthValue(), t.getDayOfMonth(), t.getDayOfWeek().getValue() % 7)
                        && (bits[1] & (1L << t.getHour())) != 0 && (bits[0] & (1L << t.getMinute())) != 0) {
                    return true;
                }
            }
            return false;
        }

        private static boolean matches(long[] bits, int month, int dayOfMonth, int dayOfWeek) {
            return (bits[3] & (1L << month)) != 0 && (bits[2] & (1L << dayOfMonth)) != 0
                    && (bits[4] & (1L << dayOfWeek)) != 0;
        }

        /**
         * The first minute strictly after {@code after} (after its minute, that is) at which the
         * schedule fires.
         *
         * @return that minute in the zone of {@code after}, or null when the schedule never fires
         *     within the next 30 years
         */
        public ZonedDateTime next(ZonedDateTime after) {
            ZoneId z = zone != null ? zone : after.getZone();
            ZonedDateTime start = after.withZoneSameInstant(z).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            // From the day before: when clocks go back, a wall-clock time of the previous local
            // reading can still lie ahead of start.
            LocalDate day = start.toLocalDate().minusDays(1);
            LocalDate last = day.plusYears(30);
            for (; !day.isAfter(last); day = day.plusDays(1)) {
                ZonedDateTime best = null;
                for (long[] bits : lines) {
                    ZonedDateTime t = firstOn(bits, day, start, z);
                    if (t != null && (best == null || t.isBefore(best))) {
                        best = t;
                    }
                }
                if (best != null) {
                    return best.withZoneSameInstant(after.getZone());
                }
            }
            return null;
        }

        /** The first instant on local date {@code day} at or after {@code start} that {@code bits} match. */
        private static ZonedDateTime firstOn(long[] bits, LocalDate day, ZonedDateTime start, ZoneId z) {
            if (!matches(bits, day.getMonthValue(), day.getDayOfMonth(), day.getDayOfWeek().getValue() % 7)) {
                return null;
            }
            ZonedDateTime best = null;
            for (int h = 0; h < 24; h++) {
                if ((bits[1] & (1L << h)) == 0) {
                    continue;
                }
                for (int m = 0; m < 60; m++) {
                    if ((bits[0] & (1L << m)) == 0) {
                        continue;
                    }
                    java.time.LocalDateTime local = day.atTime(LocalTime.of(h, m));
                    // No offset in a gap (the minute does not exist), two in an overlap (it happens twice).
                    for (java.time.ZoneOffset offset : z.getRules().getValidOffsets(local)) {
                        ZonedDateTime t = ZonedDateTime.ofLocal(local, z, offset);
                        if (!t.isBefore(start) && (best == null || t.isBefore(best))) {
                            best = t;
                        }
                    }
                }
            }
            return best;
        }
    }

    private static long bits(Term t, Random random) {
        if (!t.hashed()) {
            long b = 0;
            for (int i = t.from(); i <= t.to(); i += t.step()) {
                b |= 1L << i;
            }
            return b;
        }
        if (t.step() > 1) {
            long b = 0;
            for (int i = hash(random, t.step()) + t.from(); i <= t.to(); i += t.step()) {
                b |= 1L << i;
            }
            return b;
        }
        return 1L << (t.from() + hash(random, t.to() - t.from() + 1));
    }

    private static int hash(Random random, int n) {
        return random == null ? 0 : random.nextInt(n);
    }

    private static Random random(String seed) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(seed.getBytes(StandardCharsets.UTF_8));
            for (int i = 8; i < digest.length; i++) {
                digest[i % 8] ^= digest[i];
            }
            long l = 0;
            for (int i = 0; i < 8; i++) {
                l = (l << 8) + (digest[i] & 0xFF);
            }
            return new Random(l);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return spec;
    }
}
