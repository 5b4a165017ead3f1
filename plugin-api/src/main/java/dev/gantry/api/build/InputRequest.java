package dev.gantry.api.build;

import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A pending {@code input}: the build waits until someone answers.
 *
 * @param id the input's id (its {@code id} argument, or one derived from the message)
 * @param message what to ask
 * @param ok the label of the proceed button
 * @param submitter who may answer (comma-separated user or group names), or null for anyone
 * @param parameters the parameters to ask for, each a map with {@code type} (string, text,
 *     booleanParam, choice, password), {@code name}, {@code defaultValue}, {@code description},
 *     {@code choices}
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public record InputRequest(String id, String message, String ok, String submitter,
                           List<Map<String, Object>> parameters) {
}
