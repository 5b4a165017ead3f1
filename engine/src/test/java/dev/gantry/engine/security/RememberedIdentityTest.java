package dev.gantry.engine.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.store.SecurityRepository;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A verified Authorization header's identity is remembered for a few seconds (a polling client
 * costs no database reads for who it is), and every change to users, passwords, tokens or
 * grants takes effect at the very next request.
 */
class RememberedIdentityTest {
    private final AtomicInteger reads = new AtomicInteger();
    private final SecurityRepository real = new InMemorySecurityRepository();
    private final SecurityRepository counting = (SecurityRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {SecurityRepository.class}, (proxy, method, args) -> {
                if (List.of("user", "tokenByHash", "grants").contains(method.getName())) {
                    reads.incrementAndGet();
                }
                try {
                    return method.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final Security security = new Security(counting, List::of, Security.Options.defaults().withBcryptCost(4));

    private static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRepeatedHeaderIsNotLookedUpAgain() throws Exception {
        security.createUser("ada", "ada-password-1");
        security.grant("ada", Role.DEVELOPER, null);
        String bearer = "Bearer " + security.createToken("ada", "ci").token();
        assertEquals("ada", security.authenticate(bearer, null, "127.0.0.1").name());
        int after = reads.get();
        for (int i = 0; i < 100; i++) {
            assertEquals("ada", security.authenticate(bearer, null, "127.0.0.1").name());
            assertEquals("ada", security.authenticate(basic("ada", "ada-password-1"), null, "127.0.0.1").name());
        }
        assertEquals(after + 3, reads.get(), "the password's first check reads (user, user, grants); then nothing");
    }

    @Test
    void everyChangeTakesEffectAtTheNextRequest() throws Exception {
        security.createUser("root", "root-password-1");
        security.grant("root", Role.ADMIN, null);
        security.createUser("ada", "ada-password-1");
        security.grant("ada", Role.DEVELOPER, null);
        Security.CreatedToken token = security.createToken("ada", "ci");
        String bearer = "Bearer " + token.token();
        String password = basic("ada", "ada-password-1");
        assertEquals(1, security.authenticate(bearer, null, "a").grants().size());

        security.grant("ada", Role.VIEWER, "team");
        assertEquals(2, security.authenticate(bearer, null, "a").grants().size(), "a new grant");
        security.revoke("ada", Role.VIEWER, "team");
        assertEquals(1, security.authenticate(bearer, null, "a").grants().size(), "a revoked grant");

        security.setDisabled("ada", true);
        assertEquals(401, assertThrows(Security.Refused.class, () -> security.authenticate(bearer, null, "a")).status());
        assertEquals(401, assertThrows(Security.Refused.class, () -> security.authenticate(password, null, "a")).status());
        security.setDisabled("ada", false);
        assertEquals("ada", security.authenticate(bearer, null, "a").name());
        assertEquals("ada", security.authenticate(password, null, "a").name());

        security.setPassword("ada", "ada-password-2");
        assertEquals(401, assertThrows(Security.Refused.class, () -> security.authenticate(password, null, "a")).status(), "the old password");
        assertEquals("ada", security.authenticate(basic("ada", "ada-password-2"), null, "a").name());

        assertTrue(security.revokeToken("ada", token.id()));
        assertEquals(401, assertThrows(Security.Refused.class, () -> security.authenticate(bearer, null, "a")).status(), "a revoked token");

        String second = "Bearer " + security.createToken("ada", "laptop").token();
        assertEquals("ada", security.authenticate(second, null, "a").name());
        security.deleteUser("ada");
        assertEquals(401, assertThrows(Security.Refused.class, () -> security.authenticate(second, null, "a")).status(), "a deleted user's token");
    }

    @Test
    void aRememberedPasswordIsStillThrottled() throws Exception {
        security.createUser("ada", "ada-password-1");
        String password = basic("ada", "ada-password-1");
        assertEquals("ada", security.authenticate(password, null, "10.0.0.1").name());
        int status = 0;
        for (int i = 0; i < 100 && status != 429; i++) {
            status = assertThrows(Security.Refused.class, () -> security.authenticate(basic("ada", "wrong-guess"), null, "10.0.0.2")).status();
        }
        assertEquals(429, status, "guessing locks the user");
        assertEquals(429, assertThrows(Security.Refused.class, () -> security.authenticate(password, null, "10.0.0.1")).status(),
                "the right password, remembered, waits out the lock like any other");
    }
}
