package dev.gantry.engine.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions kept in the database: they survive a restart (a new Store and Security on the same
 * home), only a hash of their id is stored, expiry is honoured and expired rows pruned, and
 * logout, a password change, disabling and deleting a user end them for good.
 */
class PersistentSessionsTest {
    private static final String PASSWORD = "correct-horse-battery";
    private final AtomicLong now = new AtomicLong();

    @TempDir
    Path home;

    private Security security(Store store) {
        return new Security(store.security(), List::of, Security.Options.defaults().withBcryptCost(4).withClock(now::get));
    }

    private String signIn(Store store, String user) throws Security.Refused {
        return security(store).login(user, PASSWORD, "127.0.0.1").session().id();
    }

    @Test
    void aSessionOutlivesARestartAndKeepsItsCsrfToken() throws Exception {
        String cookie;
        String csrf;
        try (Store store = Store.open(home)) {
            Security s = security(store);
            s.createUser("ada", PASSWORD);
            Identity me = s.login("ada", PASSWORD, "127.0.0.1");
            cookie = me.session().id();
            csrf = me.session().csrf();
        }
        try (Store store = Store.open(home)) {
            Identity again = security(store).session(cookie);
            assertNotNull(again, "the session survives the restart");
            assertEquals("ada", again.name());
            assertEquals(Identity.Via.SESSION, again.via());
            assertTrue(again.session().csrfMatches(csrf), "forms of pages rendered before the restart still work");
            assertNull(security(store).session(cookie + "x"), "another cookie is nobody");
        }
    }

    @Test
    void onlyAHashOfTheSessionIdIsStored() throws Exception {
        String cookie;
        try (Store store = Store.open(home)) {
            Security s = security(store);
            s.createUser("ada", PASSWORD);
            cookie = s.login("ada", PASSWORD, "127.0.0.1").session().id();
        }
        List<String> stored = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + home.resolve("db").resolve("gantry"), "gantry", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id_hash, username FROM sessions")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
                assertEquals("ada", rs.getString(2));
            }
        }
        assertEquals(List.of(Sessions.hash(cookie)), stored);
        byte[] db = Files.readAllBytes(home.resolve("db").resolve("gantry.mv.db"));
        assertFalse(new String(db, StandardCharsets.ISO_8859_1).contains(cookie), "the cookie itself is nowhere in the database file");
    }

    @Test
    void logoutPasswordChangeDisablingAndDeletionEndSessionsAcrossARestart() throws Exception {
        String loggedOut;
        String other;
        String changed;
        String disabled;
        String deleted;
        try (Store store = Store.open(home)) {
            Security s = security(store);
            for (String u : List.of("ada", "bob", "cy", "dee")) {
                s.createUser(u, PASSWORD);
            }
            Identity a = s.login("ada", PASSWORD, "127.0.0.1");
            loggedOut = a.session().id();
            other = s.login("ada", PASSWORD, "127.0.0.1").session().id();
            s.logout(a, "127.0.0.1");
            assertNull(s.session(loggedOut));
            assertNotNull(s.session(other), "a logout ends that session only");
            changed = s.login("bob", PASSWORD, "127.0.0.1").session().id();
            s.setPassword("bob", "another-long-password");
            disabled = s.login("cy", PASSWORD, "127.0.0.1").session().id();
            s.setDisabled("cy", true);
            deleted = s.login("dee", PASSWORD, "127.0.0.1").session().id();
            s.deleteUser("dee");
            Security.Refused refused = assertThrows(Security.Refused.class, () -> s.login("cy", PASSWORD, "127.0.0.1"));
            assertTrue(refused.getMessage().contains("disabled"), refused.getMessage());
            s.endSessions("ada");
            assertNull(s.session(other), "signed out everywhere");
        }
        try (Store store = Store.open(home)) {
            Security s = security(store);
            for (String cookie : List.of(loggedOut, other, changed, disabled, deleted)) {
                assertNull(s.session(cookie), "ended for good");
            }
            s.setDisabled("cy", false);
            assertNotNull(s.login("cy", PASSWORD, "127.0.0.1"), "enabled again");
        }
    }

    @Test
    void idleAndOldSessionsExpireAndArePrunedAtTheNextStart() throws Exception {
        String idle;
        String busy;
        try (Store store = Store.open(home)) {
            Security s = security(store);
            s.createUser("ada", PASSWORD);
            idle = signIn(store, "ada");
            busy = signIn(store, "ada");
            for (int i = 0; i < 5; i++) {
                now.addAndGet(Duration.ofMinutes(20).toNanos());
                assertNotNull(s.session(busy), "a session in use stays (" + i + ")");
            }
            assertNull(s.session(idle), "30 minutes without a request end a session");
        }
        assertEquals(1, rows(), "the busy session is stored");
        try (Store store = Store.open(home)) {
            Security s = security(store);
            now.addAndGet(Duration.ofHours(13).toNanos());
            s.createUser("bob", PASSWORD);
            String fresh = s.login("bob", PASSWORD, "127.0.0.1").session().id();
            assertFalse(stored(store, busy), "pruned while someone signs in: past the 12 hours anyway");
            assertTrue(stored(store, fresh));
            assertNull(s.session(busy));
        }
    }

    @Test
    void aSessionIsCheckedAgainstItsIdleTimeAfterARestart() throws Exception {
        String cookie;
        try (Store store = Store.open(home)) {
            Security s = security(store);
            s.createUser("ada", PASSWORD);
            cookie = signIn(store, "ada");
        }
        try (Store store = Store.open(home)) {
            Security s = security(store);
            now.addAndGet(Duration.ofMinutes(31).toNanos());
            assertNull(s.session(cookie), "idle for 31 minutes across the restart");
            assertFalse(stored(store, cookie), "and deleted");
        }
    }

    private int rows() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + home.resolve("db").resolve("gantry"), "gantry", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sessions")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static boolean stored(Store store, String cookie) {
        return store.security().session(Sessions.hash(cookie)).isPresent();
    }
}
