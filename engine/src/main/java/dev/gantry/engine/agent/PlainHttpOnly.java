package dev.gantry.engine.agent;

import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;

/**
 * The TLS context of an agent whose controller URL is plain {@code http}: one that refuses to be
 * used. Without it the JDK's {@code HttpClient} takes the default context, which loads the TLS
 * provider and parses the JDK's ~150 CA certificates: ~500 classes (kept in the agent's AOT
 * archive, all resident) and ~1.5 MB of heap, for connections the agent never makes.
 */
final class PlainHttpOnly extends SSLContextSpi {
    static final SSLContext CONTEXT = new SSLContext(new PlainHttpOnly(), null, "none") { };

    private static UnsupportedOperationException refused() {
        return new UnsupportedOperationException("the agent's controller URL is http, so it makes no TLS connection;"
                + " give it an https URL to use TLS");
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
        throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        throw refused();
    }
}
