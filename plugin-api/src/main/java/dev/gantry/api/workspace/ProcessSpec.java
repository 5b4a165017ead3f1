package dev.gantry.api.workspace;

import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A process to start in a workspace directory.
 *
 * @param command the program and its arguments; not run through a shell
 * @param environment the complete environment of the process (nothing is inherited beyond it)
 * @param stdout where standard output goes; never null
 * @param stderr where standard error goes; null to merge it into {@code stdout}
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public record ProcessSpec(List<String> command, Map<String, String> environment, OutputStream stdout, OutputStream stderr) {
    public ProcessSpec {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        Objects.requireNonNull(stdout, "stdout");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
    }
}
