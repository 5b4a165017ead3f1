package dev.gantry.plugins.notify;

import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.support.SimpleStep;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code slackSend channel: '#builds', color: 'good', message: 'Deployed', tokenCredentialId: 'slack'}:
 * posts a message to Slack (or anything that takes Slack's JSON) through an incoming webhook or
 * a bot token kept in a secret text credential. Returns Slack's answer ({@code ok}, {@code status},
 * {@code channelId}, {@code ts}, {@code threadId}).
 */
@Extension
public class SlackSendStep extends SimpleStep {

    public SlackSendStep() {
        super("slackSend", "Posts a message to Slack through an incoming webhook or a bot token kept in a secret text credential;"
                        + " returns Slack's answer. An unreachable Slack warns and the build goes on unless failOnError is true.",
                d -> d.required("message", STRING, "The text (Slack mrkdwn).").positional("message")
                        .required("tokenCredentialId", STRING, "A secret text credential holding an incoming webhook URL or a bot token.")
                        .optional("channel", STRING, null, "The channel (#builds) or user; a webhook's own channel when left out.")
                        .optional("color", STRING, null, "good, warning, danger or a #hex color: sends the message as an attachment of that color.")
                        .optional("baseUrl", STRING, null, "The Slack API for bot tokens (default https://slack.com/api/).")
                        .optional("username", STRING, null, "The name to post as (webhooks that allow it).")
                        .optional("iconEmoji", STRING, null, "The icon to post with, e.g. :rocket:.")
                        .optional("failOnError", BOOLEAN, false, "Fail the build when the message cannot be delivered."));
    }

    @Override
    public Object run(StepContext context, StepArguments args) throws InterruptedException {
        String credentialsId = args.string("tokenCredentialId");
        String secret = Secrets.secret(context, credentialsId, "the Slack webhook URL or token");
        Redactor redactor = Redactor.of(java.util.List.of(secret));
        return Deliveries.run(context, "slackSend", args.bool("failOnError"), redactor, () -> {
            Map<String, Object> payload = Slack.payload(args.string("channel"), args.string("color"), args.string("message"),
                    args.string("username"), args.string("iconEmoji"));
            Map<String, Object> out = Slack.send(secret, credentialsId, args.string("baseUrl"), payload,
                    RetryPolicy.from(context.environment()), redactor, m -> context.console().println("slackSend: " + m));
            String where = args.string("channel") == null ? "" : " to " + args.string("channel");
            context.console().println("slackSend: message posted" + where + " (HTTP " + out.get("status") + ")");
            return out;
        });
    }
}
