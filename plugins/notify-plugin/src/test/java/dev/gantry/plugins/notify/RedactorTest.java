package dev.gantry.plugins.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void aSecretIsMaskedAsItIsAndUrlEncoded() {
        Redactor r = Redactor.of(List.of("a b/c"));
        assertEquals("x **** y ****", r.redact("x a b/c y a+b%2Fc"));
    }

    @Test
    void aLongerSecretIsMaskedWholeBeforeAShorterOneInsideIt() {
        Redactor r = Redactor.of(List.of("token", "https://hooks.test/token"));
        assertEquals("posting to **** failed", r.redact("posting to https://hooks.test/token failed"));
    }

    @Test
    void aFailureIsDescribedWithItsCausesAndWithoutTheSecret() {
        Redactor r = Redactor.of(List.of("s3cr3t"));
        Exception e = new IllegalStateException("cannot post to http://h/s3cr3t", new ConnectException());
        assertEquals("IllegalStateException: cannot post to http://h/**** <- ConnectException", r.describe(e));
    }
}
