package dev.gantry.plugins.notify;

import dev.gantry.api.credentials.Credential;
import dev.gantry.api.credentials.CredentialLookup;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.support.SimpleStep;
import dev.gantry.api.workspace.FileSelection;
import dev.gantry.api.workspace.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.pf4j.Extension;

/**
 * {@code mail to: 'team@example.com', subject: 'Build failed', body: '...'}: sends mail over SMTP,
 * with attachments from the workspace. The server comes from {@code GANTRY_SMTP_*} settings (see
 * docs/notifications.md); the login from {@code GANTRY_SMTP_CREDENTIALS}, a username-with-password
 * credential, or {@code GANTRY_SMTP_USER}/{@code GANTRY_SMTP_PASSWORD} of the controller.
 */
@Extension
public class MailStep extends SimpleStep {
    /** Attachments bigger than this in all are refused: mail servers reject them anyway. */
    static final long MAX_ATTACHMENTS_BYTES = 25L * 1024 * 1024;

    public MailStep() {
        super("mail", "Sends mail over SMTP (server from GANTRY_SMTP_* settings), with attachments from the workspace;"
                        + " an unreachable server warns and the build goes on unless failOnError is true.",
                d -> d.optional("to", STRING, null, "Recipients, separated by commas.")
                        .optional("cc", STRING, null, "Copy recipients, separated by commas.")
                        .optional("bcc", STRING, null, "Blind copy recipients, separated by commas.")
                        .optional("from", STRING, null, "The sender (default GANTRY_SMTP_FROM, else gantry@localhost).")
                        .optional("replyTo", STRING, null, "Where replies go.")
                        .required("subject", STRING, "The subject.")
                        .optional("body", STRING, "", "The text.")
                        .optional("mimeType", STRING, "text/plain", "The body's type: text/plain or text/html.")
                        .optional("charset", STRING, "UTF-8", "The body's character set.")
                        .optional("attachmentsPattern", STRING, null, "Workspace files to attach, by Ant pattern (comma-separated, ** for any depth).")
                        .optional("failOnError", BOOLEAN, false, "Fail the build when the mail cannot be sent."));
    }

    @Override
    public Object run(StepContext context, StepArguments args) throws InterruptedException, IOException {
        String user = null;
        String password = null;
        String loginId = Config.lookup(context.environment(), "GANTRY_SMTP_CREDENTIALS", "gantry.smtp.credentials");
        if (loginId != null) {
            Credential c = login(context, loginId);
            user = c.fields().get("username");
            password = Secrets.secretOf(c, "the SMTP login");
        }
        Smtp.Server server;
        try {
            server = Smtp.Server.from(context.environment(), user, password);
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("mail: " + e.getMessage());
        }
        List<Smtp.Attachment> attachments = attachments(context, args.string("attachmentsPattern"));
        String mimeType = args.string("mimeType");
        String charset = args.string("charset");
        String type = mimeType == null || mimeType.contains("charset") || charset == null ? mimeType : mimeType + "; charset=" + charset;
        Smtp.Mail mail = new Smtp.Mail(args.string("to"), args.string("cc"), args.string("bcc"), args.string("from"), args.string("replyTo"),
                args.string("subject"), args.string("body"), type, attachments);
        Redactor redactor = Redactor.of(server.password() == null ? List.of() : List.of(server.password()));
        return Deliveries.run(context, "mail", args.bool("failOnError"), redactor, () -> {
            Map<String, Object> out = Smtp.send(server, mail, RetryPolicy.from(context.environment()), m -> context.console().println("mail: " + m));
            context.console().println("mail: '" + mail.subject() + "' sent to " + out.get("recipients") + " recipient(s) through " + server
                    + (attachments.isEmpty() ? "" : " with " + attachments.size() + " attachment(s)"));
            return out;
        });
    }

    private static Credential login(StepContext context, String id) {
        CredentialLookup lookup = context.service(CredentialLookup.class).orElseThrow(() -> new StepFailedException(
                "mail: GANTRY_SMTP_CREDENTIALS names credential '" + id + "', but this run has no credentials store"));
        try {
            return lookup.find(id);
        } catch (NoSuchElementException e) {
            throw new StepFailedException("mail: GANTRY_SMTP_CREDENTIALS names credential '" + id + "', which does not exist: " + e.getMessage());
        }
    }

    private static List<Smtp.Attachment> attachments(StepContext context, String pattern) throws IOException {
        if (pattern == null || pattern.isBlank()) {
            return List.of();
        }
        Workspace ws = context.workspace();
        List<String> files = ws.list(FileSelection.of(pattern));
        if (files.isEmpty()) {
            context.console().warn("mail: attachmentsPattern '" + pattern + "' matches no file in " + ws.path() + "; sending without attachments");
        }
        List<Smtp.Attachment> out = new ArrayList<>();
        long total = 0;
        for (String f : files) {
            byte[] content;
            try (InputStream in = ws.read(f)) {
                content = in.readAllBytes();
            }
            total += content.length;
            if (total > MAX_ATTACHMENTS_BYTES) {
                throw new StepFailedException("mail: the attachments matching '" + pattern + "' are over " + (MAX_ATTACHMENTS_BYTES >> 20)
                        + " MiB together; attach fewer files or archive them (archiveArtifacts) and send a link");
            }
            out.add(new Smtp.Attachment(f.substring(f.lastIndexOf('/') + 1), content));
        }
        return out;
    }
}
