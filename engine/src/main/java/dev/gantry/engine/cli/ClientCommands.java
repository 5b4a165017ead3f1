package dev.gantry.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The CLI verbs that talk to a running controller over its REST API. */
final class ClientCommands {
    private ClientCommands() {
    }

    /** Options every client command has, and its error handling: subclasses implement {@link #execute()}. */
    abstract static class Remote implements Callable<Integer> {
        @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:GANTRY_URL:-http://127.0.0.1:8080}",
                description = "The controller (default: $GANTRY_URL, else http://127.0.0.1:8080).")
        String url;

        @Option(names = "--auth", paramLabel = "USER:TOKEN|@FILE", defaultValue = "${env:GANTRY_AUTH}",
                description = "Credentials: USER:TOKEN (or USER:PASSWORD), or @FILE whose first line is that (default: $GANTRY_AUTH).")
        String auth;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        ApiClient client() throws java.io.IOException {
            return new ApiClient(url, Credentials.resolve(auth));
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** Does the work; returns the exit code. */
        abstract int execute() throws Exception;

        @Override
        public final Integer call() {
            try {
                int code = execute();
                out().flush();
                return code;
            } catch (Exception e) {
                return fail(e);
            }
        }

        int fail(Exception e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("gantry " + spec.name() + ": " + e.getMessage());
            if (e instanceof ApiClient.ApiException ae && ae.body != null && ae.body.has("errors")) {
                for (JsonNode p : ae.body.get("errors")) {
                    err.println("  " + p.path("line").asInt() + ":" + p.path("column").asInt() + ": " + p.path("message").asText());
                }
            }
            err.flush();
            if (e instanceof IllegalArgumentException || e instanceof java.nio.file.NoSuchFileException) {
                return Main.USAGE;
            }
            return e instanceof ApiClient.ApiException ae && ae.status < 500 ? Main.USAGE : 1;
        }
    }

    /** {@code gantry job list|apply|delete}. */
    @Command(name = "job", mixinStandardHelpOptions = true, description = "Manages jobs on a controller.",
            subcommands = {JobList.class, JobApply.class, JobDelete.class})
    static final class Job implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a job command is required (list, apply, delete)");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the jobs.")
    static final class JobList extends Remote {
        @Override
        int execute() throws Exception {
            JsonNode jobs = client().call("GET", "api/v1/jobs", null);
            for (JsonNode j : jobs.isArray() ? jobs : jobs.path("jobs")) {
                out().println(j.path("name").asText() + "\tversion " + j.path("version").asText());
            }
            return 0;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Creates or updates jobs from a file: a YAML or JSON definition file (.yaml, .yml, .json;",
                    "one job, a list, or YAML documents), applied all or nothing, unchanged jobs keep their version;",
                    "or a Jenkinsfile (any other name; the job is named NAME, or after the file).",
                    "Everything is checked first; problems are listed as FILE:LINE:COLUMN: message."})
    static final class JobApply extends Remote {
        @Parameters(index = "0", paramLabel = "FILE", description = "A definition file or a Jenkinsfile.")
        Path file;

        @Option(names = "--name", paramLabel = "NAME", description = "For a Jenkinsfile: the job's full name (folders separated by /).")
        String name;

        @Option(names = "--dry-run", description = "For a definition file: check it and show what would change, change nothing.")
        boolean dryRun;

        @Override
        int execute() throws Exception {
            if (DefinitionFiles.isDefinition(file)) {
                if (name != null) {
                    throw new IllegalArgumentException("--name is for a Jenkinsfile; a definition file names its jobs with name:");
                }
                return DefinitionFiles.apply(client(), file, dryRun, out());
            }
            if (dryRun) {
                throw new IllegalArgumentException("--dry-run is for definition files (.yaml, .yml, .json); use gantry lint for a Jenkinsfile");
            }
            String job = name != null ? name : file.getFileName().toString().replaceAll("\\.groovy$", "");
            JsonNode r = client().call("PUT", ApiClient.jobPath(job), Map.of("script", Files.readString(file)));
            out().println("job " + job + " is at version " + r.path("version").asText());
            return 0;
        }

        @Override
        int fail(Exception e) {
            if (e instanceof ApiClient.ApiException ae && ae.body != null && "invalid_definition".equals(ae.body.path("code").asText())) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("gantry job apply: " + file + " was not applied:");
                for (JsonNode p : ae.body.get("errors")) {
                    err.println("  " + DefinitionFiles.format(file, p));
                }
                err.flush();
                return Main.USAGE;
            }
            return super.fail(e);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a job and its builds.")
    static final class JobDelete extends Remote {
        @Parameters(index = "0", paramLabel = "JOB")
        String job;

        @Override
        int execute() throws Exception {
            client().call("DELETE", ApiClient.jobPath(job), null);
            out().println("deleted " + job);
            return 0;
        }
    }

    /** {@code gantry build JOB [--param K=V]... [--follow]}. */
    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Starts a build of a job on the controller.",
                    "With --follow, streams its log and exits with the build's exit code (0, 1, 3, 4)."})
    static final class Build extends Remote {
        @Parameters(index = "0", paramLabel = "JOB")
        String job;

        @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A build parameter; repeatable.")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = {"-f", "--follow"}, description = "Follow the log until the build ends.")
        boolean follow;

        @Override
        int execute() throws Exception {
            JsonNode r = client().call("POST", ApiClient.jobPath(job) + "/builds", Map.of("parameters", params));
            int number = r.path("number").asInt();
            if (!follow) {
                out().println(job + " #" + number + " queued");
                return 0;
            }
            return Logs.follow(client(), job, number, out());
        }
    }

    /** {@code gantry log JOB#N [--follow]}. */
    @Command(name = "log", mixinStandardHelpOptions = true, description = "Prints a build's console log.")
    static final class Log extends Remote {
        @Parameters(index = "0", paramLabel = "JOB#N", description = "The job and build number, e.g. team-a/api#12.")
        String build;

        @Option(names = {"-f", "--follow"}, description = "Keep printing until the build ends; exit with its exit code.")
        boolean follow;

        @Option(names = "--step", paramLabel = "ID", description = "Print only what this step or stage wrote (ids: GET .../builds/N/steps).")
        String step;

        @Override
        int execute() throws Exception {
            Ref ref = Ref.parse(build);
            if (step != null) {
                return print(ref.path() + "/steps/" + ApiClient.segments(step) + "/log");
            }
            if (follow) {
                return Logs.follow(client(), ref.job, ref.number, out());
            }
            return print(ref.path() + "/log");
        }

        /** Prints the log at {@code path} as it is now. */
        private int print(String path) throws Exception {
            HttpResponse<InputStream> r = client().stream(path);
            try (InputStream in = r.body()) {
                Logs.copy(in, out());
            }
            return 0;
        }
    }

    /** {@code gantry stop JOB#N}. */
    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Aborts a queued or running build.")
    static final class Stop extends Remote {
        @Parameters(index = "0", paramLabel = "JOB#N")
        String build;

        @Override
        int execute() throws Exception {
            Ref ref = Ref.parse(build);
            client().call("POST", ref.path() + "/stop", null);
            out().println("stopping " + ref.job + " #" + ref.number);
            return 0;
        }
    }

    /** A build reference {@code JOB#N}. */
    record Ref(String job, int number) {
        static Ref parse(String s) {
            int hash = s.lastIndexOf('#');
            if (hash <= 0 || hash == s.length() - 1 || !s.substring(hash + 1).matches("\\d{1,9}")) {
                throw new IllegalArgumentException("'" + s + "' is not JOB#NUMBER (for example team-a/api#12)");
            }
            return new Ref(s.substring(0, hash), Integer.parseInt(s.substring(hash + 1)));
        }

        /** The build's API path, e.g. {@code api/v1/jobs/team-a/api/builds/12}. */
        String path() {
            return ApiClient.jobPath(job) + "/builds/" + number;
        }
    }

    /** Printing and following logs. */
    static final class Logs {
        private Logs() {
        }

        /** Streams the log (server-sent events, resumed after a dropped connection) until the build ends; its exit code. */
        static int follow(ApiClient client, String job, int number, PrintWriter out) throws Exception {
            out.flush();
            return new LogFollower(client, job, number, System.out, new PrintWriter(System.err, true)).follow();
        }

        static long copy(InputStream in, PrintWriter out) throws java.io.IOException {
            // The log is bytes; the terminal gets them as they are.
            out.flush();
            long n = in.transferTo(System.out);
            System.out.flush();
            return n;
        }
    }
}
