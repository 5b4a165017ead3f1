package dev.gantry.plugins.git;

import dev.gantry.api.credentials.Credential;
import dev.gantry.api.credentials.CredentialLookup;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.NoSuchElementException;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.eclipse.jgit.util.FileUtils;

/**
 * How one git operation authenticates: a username with a password or token over HTTPS, a
 * secret-text token over HTTPS, or an SSH private key over SSH (JGit's Apache MINA transport, with
 * a private {@code ~/.ssh} made for the operation: the key, the known hosts and a config that sets
 * {@code StrictHostKeyChecking}). Closed after the operation: the temporary key is deleted and the
 * SSH client stopped.
 */
final class GitAuth implements Closeable {
    /** The private {@code ~/.ssh} directories of SSH operations start so (owner-only, deleted on close). */
    static final String SSH_DIR_PREFIX = "gantry-git-ssh-";
    private static volatile Path scratchRoot;
    private final CredentialsProvider credentials;
    private final SshdSessionFactory ssh;
    private final Path sshDir;

    private GitAuth(CredentialsProvider credentials, SshdSessionFactory ssh, Path sshDir) {
        this.credentials = credentials;
        this.ssh = ssh;
        this.sshDir = sshDir;
    }

    /**
     * The authentication {@code settings} ask for.
     *
     * @param lookup resolves {@code credentialsId}; null when the run has no credential store
     * @throws IllegalArgumentException naming the credential when it cannot be used for git
     */
    /**
     * Where SSH operations make their private {@code ~/.ssh} from now on: a directory of this
     * process alone (the plugin's data directory on a controller or an agent). What an operation
     * of a killed process left there is deleted here, so no key outlives a restart.
     *
     * @throws IOException when the leftovers cannot be deleted
     */
    static void scratchRoot(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE);
        }
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: each operation's directory is private to this user anyway.
        }
        scratchRoot = dir;
    }

    static GitAuth of(GitSettings settings, CredentialLookup lookup) throws IOException {
        return of(settings, resolve(settings, lookup), null);
    }

    /**
     * The credential {@code settings} name, or null when they name none.
     *
     * @param lookup resolves {@code credentialsId}; null when the run has no credential store
     * @throws IllegalArgumentException naming the id when it cannot be resolved
     */
    static Credential resolve(GitSettings settings, CredentialLookup lookup) {
        if (settings.credentialsId() == null) {
            return null;
        }
        if (lookup == null) {
            throw new IllegalArgumentException("credentialsId '" + settings.credentialsId()
                    + "' cannot be resolved: this run has no credential store. Remove credentialsId for a public repository");
        }
        try {
            return lookup.find(settings.credentialsId());
        } catch (NoSuchElementException e) {
            throw new IllegalArgumentException("credentialsId '" + settings.credentialsId() + "': " + e.getMessage(), e);
        }
    }

    /**
     * The authentication {@code settings} ask for, with the credential already resolved.
     *
     * @param c the credential, or null for none
     * @param scratch where the private {@code ~/.ssh} of an SSH operation is made (a directory of
     *     this machine, created when missing), or null for the one set by {@link #scratchRoot(Path)},
     *     else the system's temporary directory
     * @throws IllegalArgumentException naming the credential when it cannot be used for git
     */
    static GitAuth of(GitSettings settings, Credential c, Path scratch) throws IOException {
        boolean sshUrl = isSsh(settings.url());
        String key = c == null ? null : first(c, "privateKey", "key");
        if (c != null && key == null && sshUrl) {
            throw new IllegalArgumentException("credential '" + c.id() + "' (" + c.type() + ") has no private key, which the SSH URL "
                    + settings.safeUrl() + " needs: use an SSH private key credential, or an https:// URL");
        }
        CredentialsProvider provider = null;
        if (c != null && key == null) {
            String secret = first(c, "password", "token", "secret", "text");
            if (secret == null) {
                throw new IllegalArgumentException("credential '" + c.id() + "' (" + c.type() + ") has neither a password nor a token for git over HTTPS");
            }
            String user = first(c, "username", "user");
            // A token alone: forges accept any user name with a token as the password.
            provider = new UsernamePasswordCredentialsProvider(user == null ? "git" : user, secret);
        }
        if (!sshUrl) {
            return new GitAuth(provider, null, null);
        }
        Path dir;
        if (scratch == null) {
            scratch = scratchRoot;
        }
        if (scratch == null) {
            dir = Files.createTempDirectory(SSH_DIR_PREFIX);
        } else {
            Files.createDirectories(scratch);
            dir = Files.createTempDirectory(scratch, SSH_DIR_PREFIX);
        }
        try {
            String check = settings.hostKeyCheck();
            StringBuilder config = new StringBuilder("Host *\n  StrictHostKeyChecking ").append(check).append('\n');
            Path knownHosts = dir.resolve("known_hosts");
            Path userKnownHosts = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
            StringBuilder hosts = new StringBuilder();
            if (settings.knownHosts() != null) {
                hosts.append(settings.knownHosts().strip()).append('\n');
            }
            String credentialHosts = c == null ? null : c.fields().get("knownHosts");
            if (credentialHosts != null) {
                hosts.append(credentialHosts.strip()).append('\n');
            }
            if (Files.isReadable(userKnownHosts)) {
                hosts.append(Files.readString(userKnownHosts)).append('\n');
            }
            Files.writeString(knownHosts, hosts.toString());
            config.append("  UserKnownHostsFile ").append(knownHosts.toAbsolutePath()).append('\n');
            if (c != null) {
                Path id = dir.resolve("id_gantry");
                Files.writeString(id, key.strip() + "\n", StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(id, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system: the directory is private to this process's user anyway.
                }
                config.append("  IdentityFile ").append(id.toAbsolutePath()).append("\n  IdentitiesOnly yes\n");
                String user = first(c, "username", "user");
                if (user != null && !settings.url().matches("^(ssh://)?[^/@]+@.*")) {
                    config.append("  User ").append(user).append('\n');
                }
                String passphrase = first(c, "passphrase");
                if (passphrase != null) {
                    provider = new PassphraseProvider(passphrase);
                }
            }
            Path configFile = dir.resolve("config");
            Files.writeString(configFile, config.toString());
            File home = dir.toFile();
            SshdSessionFactory factory = new SshdSessionFactoryBuilder()
                    .setHomeDirectory(home)
                    .setSshDirectory(home)
                    .setConfigFile(f -> configFile.toFile())
                    .setDefaultKnownHostsFiles(f -> List.of(knownHosts))
                    .setDefaultIdentities(f -> List.of())
                    .build(null);
            return new GitAuth(provider, factory, dir);
        } catch (IOException | RuntimeException e) {
            FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.IGNORE_ERRORS);
            throw e;
        }
    }

    static boolean isSsh(String url) {
        if (url.startsWith("ssh://") || url.startsWith("git+ssh://") || url.startsWith("ssh+git://")) {
            return true;
        }
        // scp-like: user@host:path (no scheme)
        return !url.contains("://") && url.matches("^[^/]+@[^/:]+:.*");
    }

    private static String first(Credential c, String... names) {
        for (String n : names) {
            String v = c.fields().get(n);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** Applies this authentication to a JGit command (clone, fetch, ls-remote). */
    <C extends TransportCommand<C, ?>> C apply(C command) {
        if (credentials != null) {
            command.setCredentialsProvider(credentials);
        }
        if (ssh != null) {
            command.setTransportConfigCallback(t -> {
                if (t instanceof SshTransport s) {
                    s.setSshSessionFactory(ssh);
                }
            });
        }
        return command;
    }

    @Override
    public void close() {
        if (ssh != null) {
            ssh.close();
        }
        if (sshDir != null) {
            try {
                FileUtils.delete(sshDir.toFile(), FileUtils.RECURSIVE | FileUtils.IGNORE_ERRORS);
            } catch (IOException e) {
                // IGNORE_ERRORS: nothing is thrown; the temporary directory is left to the OS.
            }
        }
    }

    /** Answers JGit's questions for an encrypted key's passphrase, and "no" to anything else (unknown host keys). */
    private static final class PassphraseProvider extends CredentialsProvider {
        private final String passphrase;

        PassphraseProvider(String passphrase) {
            this.passphrase = passphrase;
        }

        @Override
        public boolean isInteractive() {
            return false;
        }

        @Override
        public boolean supports(CredentialItem... items) {
            for (CredentialItem i : items) {
                if (!(i instanceof CredentialItem.Password) && !(i instanceof CredentialItem.YesNoType)
                        && !(i instanceof CredentialItem.InformationalMessage)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
            for (CredentialItem i : items) {
                if (i instanceof CredentialItem.Password p) {
                    p.setValue(passphrase.toCharArray());
                } else if (i instanceof CredentialItem.YesNoType y) {
                    y.setValue(false);
                } else if (!(i instanceof CredentialItem.InformationalMessage)) {
                    throw new UnsupportedCredentialItem(uri, i.getPromptText());
                }
            }
            return true;
        }
    }
}
