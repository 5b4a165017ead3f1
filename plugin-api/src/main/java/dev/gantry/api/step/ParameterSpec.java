package dev.gantry.api.step;

import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One parameter of a step.
 *
 * @param name the name used in named arguments ({@code sh script: '...'})
 * @param type what values it accepts
 * @param required whether a call must supply it
 * @param defaultValue the value when not supplied (null if none); of the Java type {@link StepArguments} delivers
 * @param choices the accepted values for a {@link ParamType#STRING} parameter (empty: any)
 * @param help one sentence for the steps reference and the linter
 * @since 0.1
 */
@API(status = API.Status.STABLE, since = "0.1")
public record ParameterSpec(String name, ParamType type, boolean required, Object defaultValue,
                            List<String> choices, String help) {

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        choices = choices == null ? List.of() : List.copyOf(choices);
        help = help == null ? "" : help;
    }
}
