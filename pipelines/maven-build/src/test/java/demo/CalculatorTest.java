package demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CalculatorTest {
    @Test
    void adds() {
        assertEquals(5, new Calculator().add(2, 3));
    }

    @Test
    void divides() {
        assertEquals(2, new Calculator().divide(7, 3));
    }

    @Test
    void refusesDivisionByZero() {
        assertThrows(ArithmeticException.class, () -> new Calculator().divide(1, 0));
    }
}
