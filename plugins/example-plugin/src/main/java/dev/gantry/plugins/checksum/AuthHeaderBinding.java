package dev.gantry.plugins.checksum;

import dev.gantry.api.credentials.Credential;
import dev.gantry.api.credentials.CredentialBinding;
import dev.gantry.api.workspace.Workspace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/**
 * {@code withCredentials([authHeader(credentialsId: 'api', variable: 'AUTH')])}: binds a
 * credential as the value of an HTTP {@code Authorization} header, ready for
 * {@code curl -H "Authorization: $AUTH"} (the checksum files this plugin writes are often
 * uploaded that way). Secret text becomes {@code Bearer <secret>}, a username with password
 * {@code Basic <base64(user:password)>}: a value that contains no secret verbatim, masked
 * because bound values are. With {@code headerFileVariable}, the whole header line is also
 * written to a file ({@code curl -H @$FILE}), which the engine keeps outside the workspace and
 * deletes when the block ends; its path is not secret. Stateless.
 */
@Extension
public class AuthHeaderBinding implements CredentialBinding {
    static final String HEADER_FILE = "authorization.header";

    @Override
    public String symbol() {
        return "authHeader";
    }

    @Override
    public Map<String, String> bind(Credential credential, Map<String, Object> arguments, Workspace workspace) throws IOException {
        String variable = variable(arguments, "variable", true);
        String fileVariable = variable(arguments, "headerFileVariable", false);
        for (String name : arguments.keySet()) {
            if (!name.equals("variable") && !name.equals("headerFileVariable")) {
                throw new IllegalArgumentException("authHeader has no argument '" + name + "'; it takes variable and headerFileVariable");
            }
        }
        String value = switch (credential.type()) {
            case "string" -> "Bearer " + credential.field("secret");
            case "usernamePassword" -> "Basic " + Base64.getEncoder().encodeToString(
                    (credential.field("username") + ":" + credential.field("password")).getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalArgumentException("the credential is of type " + credential.type()
                    + "; authHeader takes secret text (string) or a username with password (usernamePassword)");
        };
        Map<String, String> bound = new LinkedHashMap<>();
        bound.put(variable, value);
        if (fileVariable != null) {
            if (workspace == null) {
                throw new IllegalArgumentException("headerFileVariable needs a node to write the file on; use it inside node or an agent");
            }
            workspace.write(HEADER_FILE, new ByteArrayInputStream(("Authorization: " + value + "\n").getBytes(StandardCharsets.UTF_8)));
            bound.put(fileVariable, workspace.path() + (workspace.isUnix() ? "/" : "\\") + HEADER_FILE);
        }
        return bound;
    }

    @Override
    public Set<String> publicVariables(Map<String, String> bound) {
        // The file's path is no secret; the header value is.
        return bound.keySet().stream().filter(k -> !bound.get(k).startsWith("Bearer ") && !bound.get(k).startsWith("Basic "))
                .collect(java.util.stream.Collectors.toSet());
    }

    private static String variable(Map<String, Object> arguments, String name, boolean required) {
        Object v = arguments.get(name);
        if (v == null || String.valueOf(v).isBlank()) {
            if (required) {
                throw new IllegalArgumentException("authHeader needs " + name + ": the name of the environment variable to set");
            }
            return null;
        }
        String s = String.valueOf(v);
        if (!s.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(name + " '" + s + "' is not a valid environment variable name");
        }
        return s;
    }
}
