package dev.gantry.engine.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for the controller ({@code gantry server --tls-keystore FILE --tls-password-file FILE}):
 * a PKCS#12 (or JKS) key store with the server's private key and certificate chain. The key
 * store is loaded and checked before the server starts, so a wrong password or a store without
 * a key is a clear start-up error, not a failed handshake later.
 */
public final class ServerTls {
    private final KeyStore keyStore;
    private final String password;

    private ServerTls(KeyStore keyStore, String password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    /**
     * Loads a key store.
     *
     * @param keyStoreFile a PKCS#12 ({@code .p12}, {@code .pfx}) or JKS file
     * @param passwordFile a file whose first line is the store's (and key's) password
     * @throws IOException naming the file: unreadable, wrong password, or no private key in it
     */
    public static ServerTls load(Path keyStoreFile, Path passwordFile) throws IOException {
        String password;
        try {
            password = Files.readAllLines(passwordFile).stream().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw new IOException("cannot read the TLS password file " + passwordFile + ": " + e.getMessage(), e);
        }
        KeyStore ks;
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            String name = keyStoreFile.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            ks = KeyStore.getInstance(name.endsWith(".jks") ? "JKS" : "PKCS12");
            ks.load(in, password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IOException("cannot load the TLS key store " + keyStoreFile + ": " + e.getMessage()
                    + " (expected PKCS#12 or JKS, with the password in the password file)", e);
        }
        try {
            boolean key = false;
            for (String alias : Collections.list(ks.aliases())) {
                key |= ks.isKeyEntry(alias);
            }
            if (!key) {
                throw new IOException("the TLS key store " + keyStoreFile + " holds no private key; it needs the server's key"
                        + " and certificate chain (keytool -genkeypair, or openssl pkcs12 -export)");
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the TLS key store " + keyStoreFile + ": " + e.getMessage(), e);
        }
        return new ServerTls(ks, password);
    }

    ServerConnector connector(Server server, HttpConfiguration http) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore);
        ssl.setKeyStorePassword(password);
        ssl.setKeyManagerPassword(password);
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Agents reach the controller by address as often as by name; the client checks the certificate's names.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        return new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
    }
}
