package dev.gantry.plugins.git;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.util.EnumSet;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.git.GitLocationResolver;
import org.apache.sshd.git.pack.GitPackCommandFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.transport.resolver.FileResolver;

/**
 * Real git servers for tests, on loopback ports: JGit's {@link GitServlet} on Jetty behind HTTP
 * BASIC authentication (smart HTTP), and Apache MINA sshd with JGit's upload and receive packs
 * behind public-key authentication. Both serve the repositories under one directory.
 */
final class GitServers {
    private GitServers() {
    }

    /** A smart-HTTP git server; {@link #url} of a repository under the root. */
    static final class Http implements AutoCloseable {
        private final Server server;
        private final int port;

        Http(Path root, String user, String password) throws Exception {
            server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            GitServlet git = new GitServlet();
            git.setRepositoryResolver(new FileResolver<>(root.toFile(), true));
            context.addServlet(new ServletHolder(git), "/git/*");
            context.addFilter(new FilterHolder(new BasicAuth(user, password)), "/*", EnumSet.allOf(jakarta.servlet.DispatcherType.class));
            server.setHandler(context);
            server.start();
            port = connector.getLocalPort();
        }

        String url(String repository) {
            return "http://127.0.0.1:" + port + "/git/" + repository;
        }

        @Override
        public void close() throws Exception {
            server.stop();
        }
    }

    /** HTTP BASIC authentication for one user: 401 with a challenge otherwise. */
    private static final class BasicAuth implements Filter {
        private final String expected;

        BasicAuth(String user, String password) {
            expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            String given = ((HttpServletRequest) request).getHeader("Authorization");
            if (!expected.equals(given)) {
                HttpServletResponse r = (HttpServletResponse) response;
                r.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
                r.sendError(401);
                return;
            }
            chain.doFilter(request, response);
        }
    }

    /** An SSH git server that lets in one public key. */
    static final class Ssh implements AutoCloseable {
        private final SshServer server;
        final KeyPair clientKey;

        Ssh(Path root, Path hostKey) throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            clientKey = g.generateKeyPair();
            PublicKey allowed = clientKey.getPublic();
            server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(0);
            server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKey));
            server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, allowed));
            server.setPasswordAuthenticator(null);
            server.setKeyboardInteractiveAuthenticator(null);
            server.setCommandFactory(new GitPackCommandFactory().withGitLocationResolver(GitLocationResolver.constantPath(root)));
            server.start();
        }

        int port() {
            return ((InetSocketAddress) server.getBoundAddresses().iterator().next()).getPort();
        }

        String url(String repository) {
            return "ssh://git@127.0.0.1:" + port() + "/" + repository;
        }

        /** The known_hosts line of this server's host key. */
        String knownHostsLine() throws Exception {
            PublicKey key = server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
            return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key);
        }

        /** The client's private key in OpenSSH format, as an SSH key credential holds it. */
        String clientPrivateKey() throws Exception {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new OpenSSHKeyPairResourceWriter().writePrivateKey(clientKey, "gantry-test", null, out);
            return out.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws Exception {
            server.stop(true);
        }
    }
}
