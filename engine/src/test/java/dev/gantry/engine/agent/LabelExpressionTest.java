package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelExpressionTest {
    private static final Set<String> LINUX_DOCKER = Set.of("linux", "docker", "agent-1");

    @Test
    void operatorsAndParenthesesMatchAsInJenkins() {
        assertTrue(LabelExpression.parse("linux && docker").matches(LINUX_DOCKER));
        assertFalse(LabelExpression.parse("linux && !docker").matches(LINUX_DOCKER));
        assertTrue(LabelExpression.parse("windows || linux").matches(LINUX_DOCKER));
        assertTrue(LabelExpression.parse("!(windows || mac) && (docker || podman)").matches(LINUX_DOCKER));
        assertFalse(LabelExpression.parse("linux && (windows || mac)").matches(LINUX_DOCKER));
        assertTrue(LabelExpression.parse("windows -> docker").matches(LINUX_DOCKER));
        assertFalse(LabelExpression.parse("linux <-> windows").matches(LINUX_DOCKER));
        assertTrue(LabelExpression.parse("agent-1").matches(LINUX_DOCKER), "a node's name is a label, dashes included");
        assertTrue(LabelExpression.parse("\"docker\"").matches(LINUX_DOCKER));
    }

    @Test
    void blankMatchesEveryNode() {
        assertTrue(LabelExpression.parse(null).matches(Set.of()));
        assertTrue(LabelExpression.parse("  ").matches(Set.of("x")));
    }

    @Test
    void malformedExpressionsNameTheColumn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelExpression.parse("linux &&"));
        assertTrue(e.getMessage().contains("'linux &&'") && e.getMessage().contains("column 9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LabelExpression.parse("(linux || mac"));
        assertTrue(e.getMessage().contains("')' is missing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LabelExpression.parse("linux docker"));
        assertTrue(e.getMessage().contains("unexpected 'docker'"), e.getMessage());
    }
}
