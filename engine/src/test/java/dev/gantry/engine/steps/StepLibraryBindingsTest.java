package dev.gantry.engine.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gantry.api.credentials.Credential;
import dev.gantry.api.credentials.CredentialBinding;
import dev.gantry.api.workspace.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which plugin credential bindings a step library takes, and which it leaves out and why. */
class StepLibraryBindingsTest {
    private static CredentialBinding binding(String symbol) {
        return new CredentialBinding() {
            @Override
            public String symbol() {
                return symbol;
            }

            @Override
            public Map<String, String> bind(Credential credential, Map<String, Object> arguments, Workspace workspace) {
                return Map.of();
            }
        };
    }

    @Test
    void aBindingTakingABuiltInSymbolAStepNameOrAnEarlierBindingsSymbolIsLeftOut() {
        List<String> refused = new ArrayList<>();
        StepLibrary lib = StepLibrary.builtins().withBindings(List.of(binding("vaultToken"), binding("file"), binding("logRotator"),
                binding("echo"), binding("vaultToken"), binding("not-an-identifier")), (b, why) -> refused.add(why));
        assertEquals(Set.of("vaultToken"), lib.bindingSymbols());
        assertEquals(List.of(
                "its credential binding 'file' is left out: a built-in binding or argument helper has that name; give it another symbol"
                        + " (prefix it with the plugin's id)",
                "its credential binding 'logRotator' is left out: a built-in binding or argument helper has that name; give it another symbol"
                        + " (prefix it with the plugin's id)",
                "its credential binding 'echo' is left out: a step has that name",
                "its credential binding 'vaultToken' is left out: another plugin's binding has that name"), refused.subList(0, 4));
        assertEquals(5, refused.size(), refused.toString());
        assertEquals(true, lib.binding("file").isEmpty(), "built-in bindings are not plugin bindings");
    }

    @Test
    void bindingsSurviveAddingStepsAndALiveLibraryShowsItsSourcesBindings() {
        StepLibrary lib = StepLibrary.builtins().withBindings(List.of(binding("vaultToken")), (b, why) -> { })
                .plus(List.of(), (a, b) -> { });
        assertEquals(Set.of("vaultToken"), lib.bindingSymbols());
        StepLibrary live = StepLibrary.live(() -> lib);
        assertEquals(true, live.binding("vaultToken").isPresent());
        assertEquals(Set.of("vaultToken"), live.snapshot().bindingSymbols());
    }
}
