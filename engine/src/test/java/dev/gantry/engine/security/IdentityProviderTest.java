package dev.gantry.engine.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.api.security.IdentityProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Plugins' identity providers: asked after local users, roles granted in Gantry, failures throttled and audited. */
class IdentityProviderTest {
    /** A directory that knows one user, and one that is down. */
    private static final class Directory implements IdentityProvider {
        final List<String> asked = new ArrayList<>();

        @Override
        public String id() {
            return "directory";
        }

        @Override
        public Optional<AuthenticatedUser> authenticate(String username, String password) {
            asked.add(username);
            return username.equals("dora") && password.equals("directory-password")
                    ? Optional.of(new AuthenticatedUser("dora", "Dora D.")) : Optional.empty();
        }
    }

    private static final class Down implements IdentityProvider {
        @Override
        public String id() {
            return "down";
        }

        @Override
        public Optional<AuthenticatedUser> authenticate(String username, String password) throws IOException {
            throw new IOException("connection refused");
        }
    }

    @Test
    void aProviderVouchesForItsUsersAfterLocalUsersAndGrantsComeFromGantry() throws Exception {
        Directory directory = new Directory();
        Security s = new Security(new InMemorySecurityRepository(), () -> List.of(new Down(), directory),
                Security.Options.defaults().withBcryptCost(4));
        s.createUser("local", "local-password");
        assertEquals("local", s.basic("local", "local-password", "10.0.0.1").name());
        assertFalse(directory.asked.contains("local"), "local users are checked first, and only locally");
        assertThrows(Security.Refused.class, () -> s.basic("local", "directory-password", "10.0.0.1"));

        Identity dora = s.basic("dora", "directory-password", "10.0.0.1");
        assertEquals("dora", dora.name());
        assertFalse(dora.permits(Permission.READ), "no roles until granted in Gantry");
        s.grant("dora", Role.VIEWER, "team");
        assertTrue(s.basic("dora", "directory-password", "10.0.0.1").permits(Permission.READ, "team/app", false));

        Security.Refused wrong = assertThrows(Security.Refused.class, () -> s.basic("dora", "wrong", "10.0.0.1"));
        assertEquals(401, wrong.status());
        assertEquals("login.failure", s.audit().entries("dora", null, 0, 10).get(0).action());
    }
}
