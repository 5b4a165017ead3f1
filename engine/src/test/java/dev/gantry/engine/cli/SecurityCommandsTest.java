package dev.gantry.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gantry.engine.testing.ControllerFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gantry token ...}, {@code gantry user ...} and {@code --auth} against a real controller. */
class SecurityCommandsTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run gantry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        System.setProperty("picocli.disable.closures", "true");
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExitCodeExceptionMapper(e -> Main.USAGE);
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void tokensAndUsersAreManagedFromTheCommandLine() throws Exception {
        try (ControllerFixture c = ControllerFixture.start(dir.resolve("home"), 1)) {
            String admin = "admin:" + ControllerFixture.ADMIN_PASSWORD;
            Run none = gantry("job", "list", "--url", c.url);
            assertEquals(Main.USAGE, none.exit());
            assertTrue(none.err().contains("HTTP 401") && none.err().contains("--auth"), none.err());

            Run created = gantry("token", "create", "ci", "--url", c.url, "--auth", admin);
            assertEquals(0, created.exit(), created.err());
            String token = created.out().trim();
            assertTrue(token.startsWith("gantry_"), token);
            Path file = dir.resolve("auth");
            Files.writeString(file, "admin:" + token + "\n");
            assertEquals(0, gantry("job", "list", "--url", c.url, "--auth", "@" + file).exit(), "a token from a file");
            Run list = gantry("token", "list", "--url", c.url, "--auth", "@" + file);
            assertTrue(list.out().contains("\tci"), list.out());
            String id = list.out().split("\t")[0];
            assertEquals(0, gantry("token", "revoke", id, "--url", c.url, "--auth", admin).exit());
            assertEquals(Main.USAGE, gantry("job", "list", "--url", c.url, "--auth", "@" + file).exit(), "revoked");

            Files.writeString(dir.resolve("pw"), "dev-password-1\n");
            Run user = gantry("user", "create", "dev", "--role", "developer@team", "--role", "viewer",
                    "--password-file", dir.resolve("pw").toString(), "--url", c.url, "--auth", admin);
            assertEquals(0, user.exit(), user.err());
            assertTrue(user.out().contains("developer@team") && user.out().contains("viewer"), user.out());
            assertEquals(0, gantry("user", "grant", "dev", "operator", "--url", c.url, "--auth", admin).exit());
            Run users = gantry("user", "list", "--url", c.url, "--auth", admin);
            assertTrue(users.out().contains("dev\t") && users.out().contains("operator"), users.out());
            assertEquals(0, gantry("user", "revoke", "dev", "developer", "--folder", "team", "--url", c.url, "--auth", admin).exit());
            Run generated = gantry("user", "passwd", "dev", "--url", c.url, "--auth", admin);
            String password = generated.out().replaceAll("(?s).*password: (\\S+).*", "$1");
            assertEquals(0, gantry("token", "list", "--url", c.url, "--auth", "dev:" + password).exit(), generated.out());
            assertEquals(Main.USAGE, gantry("user", "list", "--url", c.url, "--auth", "dev:" + password).exit(), "an operator is no administrator");
            assertEquals(0, gantry("user", "disable", "dev", "--url", c.url, "--auth", admin).exit());
            assertTrue(gantry("user", "list", "--url", c.url, "--auth", admin).out().contains("\tdisabled"));
            assertTrue(gantry("token", "list", "--url", c.url, "--auth", "dev:" + password).exit() != 0, "a disabled user is refused");
            assertEquals(0, gantry("user", "enable", "dev", "--url", c.url, "--auth", admin).exit());
            assertEquals(0, gantry("token", "list", "--url", c.url, "--auth", "dev:" + password).exit(), "enabled again");
            assertEquals(0, gantry("user", "delete", "dev", "--url", c.url, "--auth", admin).exit());
            Run bad = gantry("job", "list", "--url", c.url, "--auth", "no-colon");
            assertEquals(Main.USAGE, bad.exit());
            assertTrue(bad.err().contains("USER:TOKEN"), bad.err());
        }
    }
}
