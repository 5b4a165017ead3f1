package dev.gantry.engine.agent;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgentHttpTlsTest {
    @Test
    void anHttpControllerUrlGetsAContextThatRefusesTlsInsteadOfTheJdkDefault() throws Exception {
        AgentHttp http = new AgentHttp("http://127.0.0.1:9/", "a", "secret", null);
        assertSame(PlainHttpOnly.CONTEXT, http.tls());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> http.tls().createSSLEngine());
        assertTrue(e.getMessage().contains("https URL"), e.getMessage());
    }

    @Test
    void anHttpsControllerUrlKeepsTheJdkDefaultContext() throws Exception {
        AgentHttp https = new AgentHttp("https://127.0.0.1:9/", "a", "secret", null);
        assertNotSame(PlainHttpOnly.CONTEXT, https.tls());
        assertSame(javax.net.ssl.SSLContext.getDefault(), https.tls());
    }
}
