package dev.gantry.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry replay}, {@code gantry restart} and {@code gantry input}: acting on an existing build. */
final class BuildActionCommands {
    private BuildActionCommands() {
    }

    /** Says that build {@code number} of the job of {@code ref} is queued, or with {@code follow} prints its log to the end; the exit code. */
    private static int queued(ClientCommands.Remote command, boolean follow, ClientCommands.Ref ref, int number, String what) throws Exception {
        if (!follow) {
            command.out().println(ref.job() + " #" + number + " queued (" + what + ")");
            return 0;
        }
        return ClientCommands.Logs.follow(command.client(), ref.job(), number, command.out());
    }

    /** {@code gantry replay JOB#N [--script FILE] [--follow]}. */
    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Runs a build again as a new build, with its parameters and its script or an edited one.",
                    "The script is checked first; the job's own script is not changed."})
    static final class Replay extends ClientCommands.Remote {
        @Parameters(index = "0", paramLabel = "JOB#N", description = "The build to replay, e.g. team-a/api#12.")
        String build;

        @Option(names = "--script", paramLabel = "FILE", description = "The pipeline to run instead of the build's own.")
        Path script;

        @Option(names = {"-f", "--follow"}, description = "Follow the new build's log; exit with its exit code.")
        boolean follow;

        @Override
        int execute() throws Exception {
            ClientCommands.Ref ref = ClientCommands.Ref.parse(build);
            Map<String, Object> body = new LinkedHashMap<>();
            if (script != null) {
                body.put("script", Files.readString(script));
            }
            int number = client().call("POST", ref.path() + "/replay", body).path("number").asInt();
            return queued(this, follow, ref, number, "replay of #" + ref.number());
        }
    }

    /** {@code gantry restart JOB#N --stage NAME [--follow]}. */
    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = {"Restarts a completed declarative build from a top-level stage, as a new build.",
                    "Earlier stages are skipped; stashes are there when the pipeline has options { preserveStashes() }."})
    static final class Restart extends ClientCommands.Remote {
        @Parameters(index = "0", paramLabel = "JOB#N", description = "The completed build, e.g. team-a/api#12.")
        String build;

        @Option(names = "--stage", paramLabel = "NAME", required = true, description = "The top-level stage to start at.")
        String stage;

        @Option(names = {"-f", "--follow"}, description = "Follow the new build's log; exit with its exit code.")
        boolean follow;

        @Override
        int execute() throws Exception {
            ClientCommands.Ref ref = ClientCommands.Ref.parse(build);
            int number = client().call("POST", ref.path() + "/restart", Map.of("stage", stage)).path("number").asInt();
            return queued(this, follow, ref, number, "restart of #" + ref.number() + " from stage " + stage);
        }
    }

    /** {@code gantry input JOB#N [--id ID] [--proceed|--abort] [-p K=V]... [--submitter NAME]}. */
    @Command(name = "input", mixinStandardHelpOptions = true,
            description = {"Lists the inputs a running build waits for, or answers one.",
                    "Without --proceed or --abort, lists them. --id is needed only when the build waits for several."})
    static final class Input extends ClientCommands.Remote {
        @Parameters(index = "0", paramLabel = "JOB#N", description = "The waiting build, e.g. team-a/api#12.")
        String build;

        @ArgGroup(exclusive = true)
        Answer answer;

        static final class Answer {
            @Option(names = "--proceed", required = true, description = "Proceed (with -p values; others take their defaults).")
            boolean proceed;

            @Option(names = "--abort", required = true, description = "Abort: the build ends ABORTED.")
            boolean abort;
        }

        @Option(names = "--id", paramLabel = "ID", description = "The input's id (see the list).")
        String id;

        @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A parameter value; repeatable. booleanParam takes true or false.")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--submitter", paramLabel = "NAME", hidden = true, description = "Ignored: the server answers as the signed-in user (accepted for older scripts).")
        String submitter;

        @Override
        int execute() throws Exception {
            ClientCommands.Ref ref = ClientCommands.Ref.parse(build);
            JsonNode pending = client().call("GET", ref.path() + "/inputs", null).path("inputs");
            if (answer == null) {
                if (pending.isEmpty()) {
                    out().println(ref.job() + " #" + ref.number() + " waits for no input");
                }
                for (JsonNode in : pending) {
                    out().println(in.path("id").asText() + "\t" + in.path("message").asText() + "\t[" + in.path("ok").asText() + "]"
                            + (in.hasNonNull("submitter") ? "\tsubmitter: " + in.path("submitter").asText() : ""));
                    for (JsonNode p : in.path("parameters")) {
                        out().println("  -p " + p.path("name").asText() + "=...\t" + p.path("type").asText()
                                + (p.hasNonNull("defaultValue") ? ", default " + p.path("defaultValue").asText() : "")
                                + (p.has("choices") ? ", one of " + p.path("choices") : ""));
                    }
                }
                return 0;
            }
            JsonNode input = choose(pending, ref);
            String inputId = input.path("id").asText();
            Map<String, Object> body = new LinkedHashMap<>();
            if (submitter != null) {
                body.put("submitter", submitter);
            }
            String path = ref.path() + "/inputs/" + URLEncoder.encode(inputId, StandardCharsets.UTF_8).replace("+", "%20");
            if (answer.abort) {
                client().call("POST", path + "/abort", body);
                out().println("aborted input " + inputId + " of " + ref.job() + " #" + ref.number());
                return 0;
            }
            body.put("parameters", typed(input, params));
            client().call("POST", path + "/proceed", body);
            out().println("proceeded with input " + inputId + " of " + ref.job() + " #" + ref.number());
            return 0;
        }

        private JsonNode choose(JsonNode pending, ClientCommands.Ref ref) {
            List<String> ids = new ArrayList<>();
            pending.forEach(in -> ids.add(in.path("id").asText()));
            for (JsonNode in : pending) {
                if (id == null ? pending.size() == 1 : in.path("id").asText().equals(id)) {
                    return in;
                }
            }
            if (ids.isEmpty()) {
                throw new IllegalArgumentException(ref.job() + " #" + ref.number() + " waits for no input");
            }
            throw new IllegalArgumentException(id == null
                    ? ref.job() + " #" + ref.number() + " waits for several inputs; choose one with --id: " + String.join(", ", ids)
                    : ref.job() + " #" + ref.number() + " waits for no input '" + id + "'; it waits for: " + String.join(", ", ids));
        }

        /** Values as the server wants them: booleans for booleanParam, strings for the rest. */
        private static Map<String, Object> typed(JsonNode input, Map<String, String> given) {
            Map<String, Object> out = new LinkedHashMap<>();
            given.forEach((k, v) -> {
                boolean bool = false;
                for (JsonNode p : input.path("parameters")) {
                    bool |= p.path("name").asText().equals(k) && p.path("type").asText().equals("booleanParam");
                }
                if (bool && !v.equals("true") && !v.equals("false")) {
                    throw new IllegalArgumentException("-p " + k + " is a booleanParam: give true or false, not '" + v + "'");
                }
                out.put(k, bool ? (Object) Boolean.valueOf(v) : v);
            });
            return out;
        }
    }
}
