package dev.gantry.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationRuleRepositoryTest {
    private static final NotificationRule ON_FAILURE = new NotificationRule("webhook", List.of("failure"), Map.of("url", "http://hooks.test/a"));
    private static final NotificationRule ALWAYS = new NotificationRule("slack", List.of("always"), Map.of("channel", "#team"));
    private static final NotificationRule ORG = new NotificationRule("mail", List.of("regression", "fixed"), Map.of("to", List.of("ops@x.test")));

    @TempDir
    Path home;
    Store store;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(home);
        store.jobs().save("org/team/api", "pipeline { }", 0L);
        store.jobs().save("other", "pipeline { }", 0L);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aJobGetsItsOwnRulesThenThoseOfItsFoldersFromTheInnermostOut() {
        NotificationRuleRepository r = store.notificationRules();
        r.replace("org", List.of(ORG));
        r.replace("org/team", List.of(ALWAYS));
        r.replace("org/team/api", List.of(ON_FAILURE));
        assertEquals(List.of(ON_FAILURE), r.of("org/team/api"));
        assertEquals(List.of(ALWAYS), r.of("org/team"));
        assertEquals(List.of(ON_FAILURE, ALWAYS, ORG), r.effective("org/team/api"));
        assertEquals(List.of(), r.effective("other"));
    }

    @Test
    void anEmptyListRemovesTheRulesAndUnknownNamesAreRefused() {
        NotificationRuleRepository r = store.notificationRules();
        r.replace("org/team/api", List.of(ON_FAILURE, ALWAYS));
        r.replace("org/team/api", List.of());
        assertEquals(List.of(), r.of("org/team/api"));
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> r.replace("nope", List.of(ON_FAILURE)));
        assertEquals("there is no job or folder 'nope'", e.getMessage());
        assertThrows(NoSuchElementException.class, () -> r.of("nope"));
    }

    @Test
    void rulesGoWithTheirJobOrFolderAndSurviveARestart() throws Exception {
        store.notificationRules().replace("org/team/api", List.of(ON_FAILURE));
        store.notificationRules().replace("org", List.of(ORG));
        store.close();
        store = Store.open(home);
        assertEquals(List.of(ON_FAILURE, ORG), store.notificationRules().effective("org/team/api"));
        store.jobs().delete("org/team/api");
        store.jobs().save("org/team/api", "pipeline { }", 0L);
        assertEquals(List.of(ORG), store.notificationRules().effective("org/team/api"), "a new job of the same name starts without rules");
        store.jobs().deleteFolder("org", true);
        store.jobs().save("org/team/api", "pipeline { }", 0L);
        assertEquals(List.of(), store.notificationRules().effective("org/team/api"));
    }

    @Test
    void aRuleNamesItsProblemForTheUser() {
        assertEquals(null, ON_FAILURE.problem(1));
        assertEquals("rule 2 (webhook) needs when: [...], one or more of always, success, unstable, failure, aborted, not_built, fixed, regression, changed",
                new NotificationRule("webhook", List.of(), Map.of()).problem(2));
        assertEquals("rule 1 (webhook): 'broken' is not an outcome; use always, success, unstable, failure, aborted, not_built, fixed, regression, changed",
                new NotificationRule("webhook", List.of("broken"), Map.of()).problem(1));
    }
}
