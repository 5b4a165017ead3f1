package dev.gantry.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronSpecTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZonedDateTime T0 = ZonedDateTime.of(2025, 1, 6, 10, 30, 15, 0, UTC); // a Monday

    private static String error(String spec) {
        return assertThrows(IllegalArgumentException.class, () -> CronSpec.parse(spec)).getMessage();
    }

    @Test
    void validSpecsParse() {
        for (String s : new String[] {"* * * * *", "H 4 * * 1-5", "H/15 * * * *", "H(0-29)/10 * * * *",
                "0 0 1 JAN *", "0 12 * * MON-FRI", "5,10,15 */2 1-15/3 * 0", "@yearly", "@annually", "@monthly",
                "@weekly", "@daily", "@midnight", "@hourly", "# nightly\nH 2 * * *\n\nH 14 * * 6",
                "TZ=Europe/London\n0 9 * * *"}) {
            CronSpec.parse(s);
        }
    }

    @Test
    void errorsNameTheFieldAndWhy() {
        String m = error("61 * * * *");
        assertTrue(m.contains("minute field") && m.contains("out of range 0-59"), m);
        assertTrue(error("* 24 * * *").contains("hour field"));
        assertTrue(error("* * 0 * *").contains("day-of-month field"));
        assertTrue(error("* * * 13 *").contains("month field"));
        assertTrue(error("* * * * 8").contains("day-of-week field"));
        assertTrue(error("* * * *").contains("expected 5 fields"));
        assertTrue(error("*/0 * * * *").contains("step must be positive"));
        assertTrue(error("H(0-29)/40 * * * *").contains("larger than the range"));
        assertTrue(error("30-10 * * * *").contains("goes backwards"));
        assertTrue(error("* * * FOO *").contains("month name"));
        assertTrue(error("@sometimes").contains("unknown alias"));
        assertTrue(error("# only a comment").contains("no schedule"));
        assertTrue(error("H 2 * * *\nH 2 * *").startsWith("line 2: "));
        assertTrue(error("TZ=Mars/Olympus\n* * * * *").contains("unknown time zone"));
    }

    @Test
    void nextFiresAfterTheGivenTime() {
        assertEquals(T0.withSecond(0).plusMinutes(1), CronSpec.parse("* * * * *").next(T0, "job"));
        assertEquals(ZonedDateTime.of(2025, 1, 7, 4, 0, 0, 0, UTC), CronSpec.parse("0 4 * * *").next(T0, "job"));
        assertEquals(ZonedDateTime.of(2025, 1, 6, 10, 45, 0, 0, UTC), CronSpec.parse("*/15 * * * *").next(T0, "j"));
        assertEquals(ZonedDateTime.of(2025, 2, 1, 0, 0, 0, 0, UTC), CronSpec.parse("0 0 1 FEB *").next(T0, "j"));
        ZonedDateTime sat = CronSpec.parse("0 12 * * SAT").next(T0, "j");
        assertEquals(DayOfWeek.SATURDAY, sat.getDayOfWeek());
        assertEquals(ZonedDateTime.of(2025, 1, 12, 0, 0, 0, 0, UTC), CronSpec.parse("0 0 * * 7").next(T0, "j"));
        assertNull(CronSpec.parse("0 0 30 2 *").next(T0, "j"));
        ZonedDateTime two = CronSpec.parse("0 11 * * *\n0 10 * * *").next(T0, "j");
        assertEquals(ZonedDateTime.of(2025, 1, 6, 11, 0, 0, 0, UTC), two);
    }

    @Test
    void hashSpreadsJobsButIsStablePerJob() {
        CronSpec daily = CronSpec.parse("@daily");
        ZonedDateTime a = daily.next(T0, "team/api");
        assertEquals(a, daily.next(T0, "team/api"));
        boolean differs = false;
        for (int i = 0; i < 10 && !differs; i++) {
            differs = !daily.next(T0, "job-" + i).equals(a);
        }
        assertTrue(differs, "different jobs get different times");
        ZonedDateTime h = CronSpec.parse("H(0-29) * * * *").next(T0, "x");
        assertTrue(h.getMinute() < 30);
        assertEquals(0, CronSpec.parse("H * * * *").next(T0, null).getMinute());
        ZonedDateTime every15 = CronSpec.parse("H/15 * * * *").next(T0, "team/api");
        assertEquals(every15.getMinute() % 15, CronSpec.parse("H/15 * * * *")
                .next(every15, "team/api").getMinute() % 15);
        assertNotEquals(every15, CronSpec.parse("H/15 * * * *").next(every15, "team/api"));
    }

    @Test
    void timeZoneLineIsHonoured() {
        ZonedDateTime n = CronSpec.parse("TZ=America/New_York\n0 9 * * *").next(T0, "j");
        assertEquals(ZonedDateTime.of(2025, 1, 6, 14, 0, 0, 0, UTC), n);
        assertEquals(ZoneId.of("America/New_York"), CronSpec.parse("TZ=America/New_York\n0 9 * * *").zone());
    }
}
