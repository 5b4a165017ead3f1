package dev.gantry.engine.security;

import dev.gantry.api.security.IdentityProvider;
import dev.gantry.engine.server.JobNames;
import dev.gantry.engine.store.SecurityRepository;
import dev.gantry.engine.store.SecurityRepository.GrantRecord;
import dev.gantry.engine.store.SecurityRepository.TokenRecord;
import dev.gantry.engine.store.SecurityRepository.UserRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Who may use the controller: local users (bcrypt-hashed passwords), their API tokens, browser
 * sessions, role grants, login throttling, {@link IdentityProvider}s from plugins, and the
 * {@link Audit} log. One per controller, shared by every request thread; thread-safe.
 */
public final class Security {
    /** The session cookie. */
    public static final String COOKIE = "GANTRY_SESSION";
    /** The request header that carries a session's CSRF token. */
    public static final String CSRF_HEADER = "X-Gantry-Csrf";
    /** The form field that carries a session's CSRF token. */
    public static final String CSRF_FIELD = "_csrf";
    /** The user the first start creates. */
    public static final String ADMIN = "admin";
    /** The file under the home that holds a generated first admin password. */
    public static final String INITIAL_PASSWORD_FILE = "secrets/initialAdminPassword";
    static final String TOKEN_PREFIX = "gantry_";
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");
    private static final System.Logger LOG = System.getLogger(Security.class.getName());

    /**
     * Tunables; {@link #defaults()} for a server.
     *
     * @param bcryptCost log2 of bcrypt's rounds (4 to 31)
     * @param sessionIdle a session ends after this long without a request
     * @param sessionMaxAge and after this long in any case
     * @param failuresPerUser failed logins of one user before throttling
     * @param failuresPerAddress failed logins from one address before throttling
     * @param nanos the monotonic clock of sessions, throttling and the password memo
     */
    public record Options(int bcryptCost, Duration sessionIdle, Duration sessionMaxAge, int failuresPerUser, int failuresPerAddress,
                          LongSupplier nanos) {
        public Options {
            if (bcryptCost < 4 || bcryptCost > 31) {
                throw new IllegalArgumentException("bcryptCost must be between 4 and 31, got " + bcryptCost);
            }
            Objects.requireNonNull(sessionIdle, "sessionIdle");
            Objects.requireNonNull(sessionMaxAge, "sessionMaxAge");
            Objects.requireNonNull(nanos, "nanos");
        }

        /** Cost 10, 30 minutes idle, 12 hours at most, 5 failures per user, 20 per address. */
        public static Options defaults() {
            return new Options(10, Duration.ofMinutes(30), Duration.ofHours(12), 5, 20, System::nanoTime);
        }

        /** These options with another bcrypt cost (tests use the minimum, 4). */
        public Options withBcryptCost(int cost) {
            return new Options(cost, sessionIdle, sessionMaxAge, failuresPerUser, failuresPerAddress, nanos);
        }

        /** These options on another clock (tests). */
        public Options withClock(LongSupplier clock) {
            return new Options(bcryptCost, sessionIdle, sessionMaxAge, failuresPerUser, failuresPerAddress, clock);
        }
    }

    /** A refused authentication: 401, or 429 with the seconds to wait. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final long retryAfterSeconds;

        Refused(int status, String message, long retryAfterSeconds) {
            super(message);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** 401 or 429. */
        public int status() {
            return status;
        }

        /** For 429: seconds until the next attempt may succeed. */
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** A token just created: {@code token} is shown this once and never again. */
    public record CreatedToken(String id, String name, String token, Instant created) {
    }

    private final SecurityRepository repository;
    private final Supplier<List<IdentityProvider>> providers;
    private final Passwords passwords;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final Audit audit;
    private final SecureRandom random = new SecureRandom();
    /**
     * Identities of recently verified {@code Authorization} headers, by the header's SHA-256: a
     * client that polls (a CI tool asking for a build's status every few seconds) would otherwise
     * cost three database reads per request for who it is. Kept {@link #REMEMBER_NANOS} at most,
     * and only while {@link #generation} is what it was before the check: every change to users,
     * passwords, tokens or grants counts it up (after its write), so a revoked token, a disabled
     * user or a withdrawn grant takes effect at the next request. Failures are never kept.
     */
    private final ConcurrentHashMap<String, Remembered> remembered = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private static final long REMEMBER_NANOS = Duration.ofSeconds(5).toNanos();
    private static final int MAX_REMEMBERED = 10_000;

    /**
     * Who a header stands for.
     *
     * @param login the user name a password was checked for (the login throttle's key), or null for a token
     */
    private record Checked(Identity identity, String login) {
    }

    private record Remembered(Checked checked, long generation, long untilNanos) {
    }

    /**
     * @param repository where users, tokens, grants and the audit log live; not null
     * @param providers the identity providers of started plugins, asked at each login; not null
     * @param options tunables; not null
     */
    public Security(SecurityRepository repository, Supplier<List<IdentityProvider>> providers, Options options) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.providers = Objects.requireNonNull(providers, "providers");
        this.passwords = new Passwords(options.bcryptCost(), options.nanos());
        this.sessions = new Sessions(repository, options.sessionIdle(), options.sessionMaxAge(), options.nanos());
        this.throttle = new LoginThrottle(options.failuresPerUser(), options.failuresPerAddress(), options.nanos());
        this.audit = new Audit(repository, Clock.systemUTC());
    }

    /** With the store's repository, no identity providers and default options. */
    public Security(SecurityRepository repository) {
        this(repository, List::of, Options.defaults());
    }

    /** A security with no users, in memory: every request that needs a user is refused until one is created. */
    public static Security inMemory() {
        return new Security(new InMemorySecurityRepository());
    }

    /** In memory with these options (tests). */
    public static Security inMemory(Options options) {
        return new Security(new InMemorySecurityRepository(), List::of, options);
    }

    /** The audit log. */
    public Audit audit() {
        return audit;
    }

    Sessions sessions() {
        return sessions;
    }

    /**
     * On the first start (no users yet) creates {@value #ADMIN} with the global admin role. With a
     * preset password it uses that; otherwise it generates one, writes it to
     * {@code home/}{@value #INITIAL_PASSWORD_FILE} (owner-only) and returns it, for the caller to
     * print once. Does nothing when users exist.
     *
     * @param home the controller's home; not null
     * @param presetPassword the admin password to set, or null to generate one
     * @return the generated password, or null when none was generated
     * @throws IllegalArgumentException when the preset password is too short
     * @throws IOException when the password file cannot be written
     */
    public String initialize(Path home, String presetPassword) throws IOException {
        if (!repository.users().isEmpty()) {
            return null;
        }
        String password = presetPassword;
        if (password == null) {
            byte[] b = new byte[18];
            random.nextBytes(b);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            writeOwnerOnly(home.resolve(INITIAL_PASSWORD_FILE), password + "\n");
        }
        createUser(ADMIN, password);
        grant(ADMIN, Role.ADMIN, "");
        audit.record("system", "user.create", ADMIN, "the first administrator, created at the first start");
        return presetPassword == null ? password : null;
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        Files.deleteIfExists(file);
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    // ---- authentication -------------------------------------------------------------------

    /**
     * HTTP Basic: a user with a password or one of the user's API tokens.
     *
     * @param address the client's address, for throttling and the audit log
     * @throws Refused 401 for wrong credentials, 429 while the user or address is throttled
     */
    public Identity basic(String user, String secret, String address) throws Refused {
        if (secret.startsWith(TOKEN_PREFIX)) {
            Optional<TokenRecord> t = repository.tokenByHash(Passwords.sha256(secret));
            if (t.isPresent() && t.get().user().equals(user)) {
                return tokenIdentity(t.get());
            }
        }
        return password(user, secret, address, "HTTP Basic");
    }

    /**
     * {@code Authorization: Bearer TOKEN}.
     *
     * @throws Refused 401 when no user has this token
     */
    public Identity bearer(String token) throws Refused {
        Optional<TokenRecord> t = token.startsWith(TOKEN_PREFIX) ? repository.tokenByHash(Passwords.sha256(token)) : Optional.empty();
        if (t.isEmpty()) {
            throw new Refused(401, "the bearer token is not an API token of any user (revoked, or mistyped); create one with"
                    + " 'gantry token create' or POST /api/v1/users/{user}/tokens", 0);
        }
        return tokenIdentity(t.get());
    }

    /** The token's user, unless disabled; notes the use (at most once a minute, to spare the database a write per request). */
    private Identity tokenIdentity(TokenRecord t) throws Refused {
        if (user(t.user()).map(UserRecord::disabled).orElse(false)) {
            throw new Refused(401, "user '" + t.user() + "' is disabled; an administrator can enable the account again", 0);
        }
        Instant now = Instant.now();
        if (t.lastUsed() == null || t.lastUsed().isBefore(now.minusSeconds(60))) {
            try {
                repository.tokenUsed(t.id(), now);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot note the use of token " + t.id() + ": " + e.getMessage());
            }
        }
        return identity(t.user(), Identity.Via.TOKEN, null);
    }

    /**
     * Authenticates one HTTP request the way every entry point does (the REST API's filter and the
     * web UI alike): the {@code Authorization} header when there is one (HTTP Basic with a password
     * or API token, or Bearer with a token), else the session cookie.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param sessionCookie the value of the {@value #COOKIE} cookie, or null
     * @param address the client's address, for throttling and the audit log
     * @return who sent the request, or null when it carries no credentials or only an expired session
     * @throws Refused 401 for wrong, malformed or unsupported credentials, 429 while throttled
     */
    public Identity authenticate(String authorization, String sessionCookie, String address) throws Refused {
        if (authorization != null) {
            String key = Passwords.sha256(authorization);
            long now = System.nanoTime();
            long g = generation.get();
            Remembered r = remembered.get(key);
            if (r != null && r.generation() == g && now - r.untilNanos() < 0) {
                String login = r.checked().login();
                if (login == null) {
                    return r.checked().identity();
                }
                // A throttled user or address is refused even with the right password: checked anew below.
                if (throttle.retryAfterSeconds(login, address) == 0) {
                    throttle.succeeded(login); // as a checked password does: its user's failures start again
                    return r.checked().identity();
                }
            }
            Checked checked = header(authorization, address);
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
            remembered.put(key, new Remembered(checked, g, now + REMEMBER_NANOS));
            return checked.identity();
        }
        return sessionCookie == null ? null : session(sessionCookie);
    }

    /** Counts a change to users, passwords, tokens or grants: identities remembered before it are checked again. */
    private void changed() {
        generation.incrementAndGet();
    }

    private Checked header(String authorization, String address) throws Refused {
        String a = authorization.trim();
        int space = a.indexOf(' ');
        String scheme = space < 0 ? a : a.substring(0, space);
        String value = space < 0 ? "" : a.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Refused(401, "the Basic credentials are not valid base64 of 'user:password'", 0);
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new Refused(401, "the Basic credentials must be 'user:password' or 'user:token'", 0);
            }
            String user = decoded.substring(0, colon);
            Identity identity = basic(user, decoded.substring(colon + 1), address);
            return new Checked(identity, identity.via() == Identity.Via.PASSWORD ? user : null);
        }
        if (scheme.equalsIgnoreCase("Bearer")) {
            return new Checked(bearer(value), null);
        }
        throw new Refused(401, "the Authorization scheme '" + scheme + "' is not supported; use Basic or Bearer", 0);
    }

    /** The identity of a live session cookie, or null when there is none or it expired. */
    public Identity session(String cookie) {
        Sessions.Session s = sessions.find(cookie);
        if (s == null) {
            return null;
        }
        if (user(s.user()).map(UserRecord::disabled).orElse(false)) {
            sessions.endAll(s.user());
            return null;
        }
        return identity(s.user(), Identity.Via.SESSION, s);
    }

    /**
     * The login form: checks the password, starts a session and audits the login.
     *
     * @throws Refused 401 for wrong credentials, 429 while throttled
     */
    public Identity login(String user, String password, String address) throws Refused {
        Identity checked = password(user, password, address, "the login page");
        Sessions.Session s = sessions.start(checked.name());
        audit.record(checked.name(), "login", checked.name(), "signed in on the login page", address);
        return identity(checked.name(), Identity.Via.SESSION, s);
    }

    /**
     * Ends every browser session of {@code user} ("sign out everywhere"); tokens stay valid.
     *
     * @param user a user name; not null
     */
    public void endSessions(String user) {
        sessions.endAll(user);
    }

    /** Ends a session (logout); nothing when it ended already. */
    public void logout(Identity identity, String address) {
        if (identity.session() != null) {
            sessions.end(identity.session().id());
            audit.record(identity.name(), "logout", identity.name(), "", address);
        }
    }

    private Identity password(String user, String password, String address, String how) throws Refused {
        long wait = throttle.retryAfterSeconds(user, address);
        if (wait > 0) {
            audit.record(user, "login.failure", user, "throttled (" + how + "); " + wait + " s to wait", address);
            throw new Refused(429, "too many failed logins for user '" + user + "' or from " + address + "; try again in " + wait + " s", wait);
        }
        String name = checkPassword(user, password);
        if (name == null) {
            throttle.failed(user, address);
            audit.record(user, "login.failure", user, "wrong user name or password (" + how + ")", address);
            throw new Refused(401, "wrong user name or password (or API token)", 0);
        }
        if (user(name).map(UserRecord::disabled).orElse(false)) {
            audit.record(user, "login.failure", user, "the user is disabled (" + how + ")", address);
            throw new Refused(401, "user '" + name + "' is disabled; an administrator can enable the account again", 0);
        }
        throttle.succeeded(user);
        return identity(name, Identity.Via.PASSWORD, null);
    }

    /** The user's name when the password is right, locally or at an identity provider; else null. */
    private String checkPassword(String user, String password) {
        if (user.isEmpty() || password.isEmpty() || password.length() > Passwords.MAX_LENGTH) {
            return null;
        }
        Optional<UserRecord> local = USER_NAME.matcher(user).matches() ? repository.user(user) : Optional.empty();
        if (local.isPresent()) {
            return passwords.verify(user, password, local.get().passwordHash()) ? user : null;
        }
        for (IdentityProvider p : providers.get()) {
            try {
                Optional<IdentityProvider.AuthenticatedUser> u = p.authenticate(user, password);
                if (u.isPresent() && USER_NAME.matcher(u.get().name()).matches()) {
                    return u.get().name();
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "identity provider " + p.id() + " failed for user " + user + ": " + e.getMessage());
            }
        }
        passwords.decoyCheck(password);
        return null;
    }

    private Identity identity(String user, Identity.Via via, Sessions.Session session) {
        return new Identity(user, via, repository.grants(user), session);
    }

    // ---- users, tokens and grants ---------------------------------------------------------

    /** Why {@code name} is not a valid user name, or null. */
    static String checkUserName(String name) {
        if (name == null || !USER_NAME.matcher(name).matches()) {
            return "a user name has 1 to 100 characters of A-Z a-z 0-9 . _ @ -";
        }
        return null;
    }

    /**
     * Creates a local user.
     *
     * @param password the password, or null for a user who authenticates through a provider or tokens only
     * @throws IllegalArgumentException for an invalid name or a weak password
     * @throws IllegalStateException when the user exists
     */
    public void createUser(String name, String password) {
        String why = checkUserName(name);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        if (password != null && Passwords.weakness(password) != null) {
            throw new IllegalArgumentException(Passwords.weakness(password));
        }
        if (!repository.createUser(new UserRecord(name, password == null ? null : passwords.hash(password), Instant.now()))) {
            throw new IllegalStateException("a user named '" + name + "' exists already");
        }
        changed();
    }

    /** All users. */
    public List<UserRecord> users() {
        return repository.users();
    }

    /** The user, or empty. */
    public Optional<UserRecord> user(String name) {
        return checkUserName(name) == null ? repository.user(name) : Optional.empty();
    }

    /**
     * Sets a user's password and ends their sessions.
     *
     * @throws IllegalArgumentException for a weak password
     * @throws java.util.NoSuchElementException when there is no such user
     */
    public void setPassword(String name, String password) {
        if (Passwords.weakness(password) != null) {
            throw new IllegalArgumentException(Passwords.weakness(password));
        }
        if (!repository.setPassword(name, passwords.hash(password))) {
            throw new java.util.NoSuchElementException("no user '" + name + "'");
        }
        changed();
        sessions.endAll(name);
    }

    /**
     * Whether {@code password} is the local user's current password (no throttling: for a
     * password change by the signed-in user); false for an unknown user or one without a password.
     */
    public boolean passwordMatches(String name, String password) {
        Optional<UserRecord> u = user(name);
        return u.isPresent() && passwords.verify(name, password, u.get().passwordHash());
    }

    /**
     * Deletes a user with their tokens and grants, and ends their sessions.
     *
     * @throws java.util.NoSuchElementException when there is no such user
     * @throws IllegalStateException when it is the last user with the global admin role
     */
    public void deleteUser(String name) {
        if (user(name).isEmpty()) {
            throw new java.util.NoSuchElementException("no user '" + name + "'");
        }
        if (isLastAdmin(name)) {
            throw new IllegalStateException("user '" + name + "' is the last one with the global admin role; grant it to another user first");
        }
        repository.deleteUser(name);
        changed();
        sessions.endAll(name);
    }

    /**
     * Disables a user (who then can neither sign in nor use their tokens, and whose sessions end)
     * or enables them again; grants and tokens are kept.
     *
     * @throws java.util.NoSuchElementException when there is no such user
     * @throws IllegalStateException when it would leave no enabled user with the global admin role
     */
    public void setDisabled(String name, boolean disabled) {
        if (user(name).isEmpty()) {
            throw new java.util.NoSuchElementException("no user '" + name + "'");
        }
        if (disabled && isLastAdmin(name)) {
            throw new IllegalStateException("user '" + name + "' is the last enabled one with the global admin role; grant it to another user first");
        }
        repository.setDisabled(name, disabled);
        changed();
        if (disabled) {
            sessions.endAll(name);
        }
    }

    /** A user's grants. */
    public List<GrantRecord> grants(String user) {
        return repository.grants(user);
    }

    /**
     * Grants {@code role} to {@code user} globally ({@code folder} empty or null) or on a folder.
     *
     * @return false when the grant existed
     * @throws IllegalArgumentException for an invalid user or folder name
     */
    public boolean grant(String user, Role role, String folder) {
        boolean added = repository.grant(grantRecord(user, role, folder));
        changed();
        return added;
    }

    /**
     * Revokes a grant.
     *
     * @return false when there was no such grant
     * @throws IllegalStateException when it would leave no global admin
     */
    public boolean revoke(String user, Role role, String folder) {
        GrantRecord g = grantRecord(user, role, folder);
        if (role == Role.ADMIN && g.folder().isEmpty() && isLastAdmin(user)) {
            throw new IllegalStateException("user '" + user + "' is the last one with the global admin role; grant it to another user first");
        }
        boolean removed = repository.revoke(g);
        changed();
        return removed;
    }

    private static GrantRecord grantRecord(String user, Role role, String folder) {
        String why = checkUserName(user);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        String f = folder == null ? "" : folder;
        if (!f.isEmpty() && JobNames.check(f) != null) {
            throw new IllegalArgumentException("invalid folder '" + f + "': " + JobNames.check(f));
        }
        return new GrantRecord(user, role.id(), f);
    }

    private boolean isLastAdmin(String user) {
        List<GrantRecord> admins = repository.grants().stream().filter(g -> g.folder().isEmpty() && g.role().equals(Role.ADMIN.id()))
                .filter(g -> !repository.user(g.user()).map(UserRecord::disabled).orElse(false)).toList();
        return admins.size() == 1 && admins.get(0).user().equals(user);
    }

    /**
     * Creates an API token for {@code user}.
     *
     * @param name what the token is for (1 to 200 characters)
     * @throws IllegalArgumentException for an empty or long name
     * @throws java.util.NoSuchElementException when there is no such user
     */
    public CreatedToken createToken(String user, String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("a token needs a name of 1 to 200 characters saying what it is for");
        }
        if (user(user).isEmpty()) {
            throw new java.util.NoSuchElementException("no user '" + user + "'");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] id = new byte[6];
        random.nextBytes(id);
        TokenRecord t = new TokenRecord(HexFormat.of().formatHex(id), user, name, Passwords.sha256(token), Instant.now());
        repository.createToken(t);
        changed();
        return new CreatedToken(t.id(), name, token, t.created());
    }

    /** A user's tokens (never the token itself). */
    public List<TokenRecord> tokens(String user) {
        return repository.tokens(user);
    }

    /** Revokes a user's token; false when the user has no token with this id. */
    public boolean revokeToken(String user, String id) {
        boolean removed = repository.deleteToken(user, id);
        changed();
        return removed;
    }
}
