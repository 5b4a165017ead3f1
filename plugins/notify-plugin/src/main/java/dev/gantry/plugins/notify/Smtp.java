package dev.gantry.plugins.notify;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Sends mail over SMTP with Jakarta Mail (Angus), shared by {@code mail} and the {@code mail}
 * notifier. The server comes from {@link Server#from}; a connection that fails is tried again
 * as the {@link RetryPolicy} says, a refused login or recipient is not. Thread-safe.
 */
final class Smtp {
    private static final int TIMEOUT_MILLIS = 20_000;

    private Smtp() {
    }

    /**
     * The SMTP server.
     *
     * @param tls {@code none}, {@code starttls} (upgrade, required) or {@code ssl} (TLS from the start)
     * @param user null for no login
     * @param password null for no login; a secret
     * @param from the default sender
     */
    record Server(String host, int port, String tls, String user, String password, String from) {
        @Override
        public String toString() {
            return "SMTP " + host + ":" + port + (tls.equals("none") ? "" : " (" + tls + ")") + (user == null ? "" : " as " + user);
        }

        /**
         * The server the settings name: {@code GANTRY_SMTP_HOST} (default localhost), {@code _PORT}
         * (default 25, 465 with ssl), {@code _TLS} (none, starttls, ssl), {@code _USER},
         * {@code _PASSWORD}, {@code _FROM} (default gantry@localhost); see {@link Config#lookup}.
         *
         * @param password the password when it comes from a credential, else null to read {@code GANTRY_SMTP_PASSWORD}
         * @throws IllegalArgumentException naming the setting when a value is wrong
         */
        static Server from(Map<String, String> env, String user, String password) {
            String host = or(Config.lookup(env, "GANTRY_SMTP_HOST", "gantry.smtp.host"), "localhost");
            String tls = or(Config.lookup(env, "GANTRY_SMTP_TLS", "gantry.smtp.tls"), "none").toLowerCase(Locale.ROOT);
            if (!List.of("none", "starttls", "ssl").contains(tls)) {
                throw new IllegalArgumentException("GANTRY_SMTP_TLS must be none, starttls or ssl, not '" + tls + "'");
            }
            String p = Config.lookup(env, "GANTRY_SMTP_PORT", "gantry.smtp.port");
            int port;
            try {
                port = p == null ? (tls.equals("ssl") ? 465 : 25) : Integer.parseInt(p);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("GANTRY_SMTP_PORT must be a port number (1 to 65535), not '" + p + "'");
            }
            String u = user != null ? user : Config.lookup(env, "GANTRY_SMTP_USER", "gantry.smtp.user");
            String pw = password != null ? password : Config.lookup(env, "GANTRY_SMTP_PASSWORD", "gantry.smtp.password");
            String from = or(Config.lookup(env, "GANTRY_SMTP_FROM", "gantry.smtp.from"), "gantry@localhost");
            return new Server(host, port, tls, u, pw, from);
        }

        private static String or(String v, String dflt) {
            return v == null ? dflt : v;
        }
    }

    /** One attachment. */
    record Attachment(String name, byte[] content) {
    }

    /**
     * A message.
     *
     * @param to, cc, bcc addresses separated by commas; may be null
     * @param from the sender, or null for the server's default
     * @param mimeType {@code text/plain} or {@code text/html}, say
     */
    record Mail(String to, String cc, String bcc, String from, String replyTo, String subject, String body, String mimeType,
                List<Attachment> attachments) {
    }

    /**
     * Sends the message.
     *
     * @return {@code ok}, {@code messageId}, {@code recipients}, {@code attachments}
     * @throws IllegalArgumentException naming the field when an address is malformed or there is no recipient
     * @throws HttpDelivery.DeliveryException when the server cannot be reached or refuses the message (password masked)
     */
    static Map<String, Object> send(Server server, Mail mail, RetryPolicy policy, Consumer<String> log)
            throws HttpDelivery.DeliveryException, InterruptedException {
        Redactor redactor = Redactor.of(server.password() == null ? List.of() : List.of(server.password()));
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // Jakarta Mail finds its providers through the context class loader: the plugin's, not the engine's.
        Thread.currentThread().setContextClassLoader(Smtp.class.getClassLoader());
        try {
            Session session = Session.getInstance(properties(server));
            MimeMessage message = message(session, server, mail);
            int recipients = message.getAllRecipients() == null ? 0 : message.getAllRecipients().length;
            String last = null;
            int attempts = policy.retries() + 1;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                if (attempt > 1) {
                    Thread.sleep(policy.backoff(attempt - 1));
                }
                try (Transport t = session.getTransport(server.tls().equals("ssl") ? "smtps" : "smtp")) {
                    t.connect(server.host(), server.port(), server.user(), server.password());
                    t.sendMessage(message, message.getAllRecipients());
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("ok", true);
                    out.put("messageId", message.getMessageID());
                    out.put("recipients", recipients);
                    out.put("attachments", mail.attachments().stream().map(Attachment::name).toList());
                    out.put("attempts", attempt);
                    return out;
                } catch (AuthenticationFailedException | SendFailedException e) {
                    throw new HttpDelivery.DeliveryException(server + " refused the message: " + redactor.describe(e)
                            + " (not retried: check the login and the recipients)", 0);
                } catch (MessagingException e) {
                    last = redactor.describe(e);
                }
                if (log != null && attempt < attempts) {
                    log.accept("attempt " + attempt + " of " + attempts + " to reach " + server + " failed (" + last
                            + "); trying again in " + policy.backoff(attempt) + " ms");
                }
            }
            throw new HttpDelivery.DeliveryException("cannot deliver mail through " + server + " after " + attempts
                    + (attempts == 1 ? " attempt" : " attempts") + ": " + last, 0);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("cannot build the message: " + redactor.describe(e), e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static Properties properties(Server server) {
        Properties p = new Properties();
        String proto = server.tls().equals("ssl") ? "smtps" : "smtp";
        p.put("mail." + proto + ".host", server.host());
        p.put("mail." + proto + ".port", String.valueOf(server.port()));
        p.put("mail." + proto + ".connectiontimeout", String.valueOf(TIMEOUT_MILLIS));
        p.put("mail." + proto + ".timeout", String.valueOf(TIMEOUT_MILLIS));
        p.put("mail." + proto + ".writetimeout", String.valueOf(TIMEOUT_MILLIS));
        p.put("mail." + proto + ".auth", String.valueOf(server.user() != null));
        if (server.tls().equals("starttls")) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (!server.tls().equals("none")) {
            p.put("mail." + proto + ".ssl.checkserveridentity", "true");
        }
        return p;
    }

    private static MimeMessage message(Session session, Server server, Mail mail) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(address(mail.from() == null || mail.from().isBlank() ? server.from() : mail.from(), "from"));
        List<Address> all = new ArrayList<>();
        all.addAll(recipients(m, Message.RecipientType.TO, mail.to(), "to"));
        all.addAll(recipients(m, Message.RecipientType.CC, mail.cc(), "cc"));
        all.addAll(recipients(m, Message.RecipientType.BCC, mail.bcc(), "bcc"));
        if (all.isEmpty()) {
            throw new IllegalArgumentException("the message has no recipient; give to:, cc: or bcc:");
        }
        if (mail.replyTo() != null && !mail.replyTo().isBlank()) {
            m.setReplyTo(parse(mail.replyTo(), "replyTo"));
        }
        m.setSubject(mail.subject() == null ? "" : mail.subject(), "UTF-8");
        String type = mail.mimeType() == null || mail.mimeType().isBlank() ? "text/plain" : mail.mimeType().trim();
        String contentType = type.contains("charset") ? type : type + "; charset=UTF-8";
        String body = mail.body() == null ? "" : mail.body();
        if (mail.attachments().isEmpty()) {
            m.setContent(body, contentType);
        } else {
            Multipart multipart = new MimeMultipart();
            MimeBodyPart text = new MimeBodyPart();
            text.setContent(body, contentType);
            multipart.addBodyPart(text);
            for (Attachment a : mail.attachments()) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new jakarta.activation.DataHandler(new ByteArrayDataSource(a.content(), contentTypeOf(a.name()))));
                part.setFileName(a.name());
                multipart.addBodyPart(part);
            }
            m.setContent(multipart);
        }
        m.setSentDate(new java.util.Date());
        m.saveChanges();
        return m;
    }

    private static String contentTypeOf(String name) {
        String guess = java.net.URLConnection.guessContentTypeFromName(name);
        return guess == null ? "application/octet-stream" : guess;
    }

    private static List<Address> recipients(MimeMessage m, Message.RecipientType type, String list, String field) throws MessagingException {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        InternetAddress[] a = parse(list, field);
        m.setRecipients(type, a);
        return List.of(a);
    }

    private static InternetAddress[] parse(String list, String field) {
        try {
            InternetAddress[] a = InternetAddress.parse(list.trim().replace(';', ','), true);
            for (InternetAddress x : a) {
                x.validate();
            }
            return a;
        } catch (AddressException e) {
            throw new IllegalArgumentException(field + ": '" + list + "' is not a list of mail addresses (" + e.getMessage() + ")", e);
        }
    }

    private static InternetAddress address(String s, String field) {
        InternetAddress[] a = parse(s, field);
        if (a.length != 1) {
            throw new IllegalArgumentException(field + ": '" + s + "' must be one mail address");
        }
        return a[0];
    }
}
