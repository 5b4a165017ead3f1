package dev.gantry.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built distribution's CLI against its controller: replay with an edited script, restart
 * from a stage with preserved stashes, an input answered from the command line, and a backup
 * taken while a build waits, restored offline into a new home that a new controller serves.
 */
class BuildActionsIT {
    private static final String PIPELINE = """
            pipeline {
              agent any
              options { preserveStashes(buildCount: 5) }
              parameters { string(name: 'TARGET', defaultValue: 'dev') }
              stages {
                stage('Build') {
                  steps {
                    writeFile file: 'dist/app.txt', text: "app for ${params.TARGET}"
                    stash name: 'app', includes: 'dist/app.txt'
                    archiveArtifacts 'dist/app.txt'
                    echo 'VERSION one'
                  }
                }
                stage('Approve') {
                  steps {
                    script {
                      def size = input id: 'go', message: 'Ship it?', parameters: [choice(name: 'SIZE', choices: ['small', 'large'])]
                      echo "size ${size}"
                    }
                  }
                }
                stage('Deploy') {
                  steps {
                    sh 'rm -rf dist'
                    unstash 'app'
                    echo "deployed ${readFile('dist/app.txt')}"
                  }
                }
              }
            }
            """;

    @TempDir
    Path dir;

    private Process server;
    private String url;

    @AfterEach
    void stopServer() throws Exception {
        stop();
    }

    private void stop() throws Exception {
        Gantry.stop(server);
    }

    private void start(Path home) throws Exception {
        Gantry.Server started = Gantry.startServer(dir.resolve("server-" + System.nanoTime() + ".log"),
                List.of("--home", home.toString(), "--port", "0"));
        server = started.process();
        url = started.base().toString();
    }

    private Gantry.Done gantry(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--url";
        all[args.length + 1] = url;
        return Gantry.run(dir, 120, all);
    }

    /** Polls {@code gantry input JOB#N} until the build lists a pending input. */
    private void awaitInput(String build) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Gantry.Done d = gantry("input", build);
            if (d.exit() == 0 && d.output().contains("Ship it?")) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "no pending input on " + build + ": " + d.output());
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        }
    }

    @Test
    void replayRestartInputAndBackupFromTheCommandLine() throws Exception {
        start(dir.resolve("home"));
        Path file = dir.resolve("app.groovy");
        Files.writeString(file, PIPELINE);
        gantry("job", "apply", file.toString(), "--name", "team/app").assertExit(0);

        gantry("build", "team/app", "--param", "TARGET=prod").assertExit(0);
        awaitInput("team/app#1");
        gantry("input", "team/app#1", "--proceed", "-p", "SIZE=huge").assertExit(2).assertOutput("must be one of [small, large]");
        gantry("input", "team/app#1", "--proceed", "-p", "SIZE=large").assertExit(0);
        gantry("log", "team/app#1", "--follow").assertExit(0).assertOutput("size large", "deployed app for prod", "Approved by admin");

        Path edited = dir.resolve("edited.groovy");
        Files.writeString(edited, PIPELINE.replace("VERSION one", "VERSION two"));
        gantry("replay", "team/app#1", "--script", edited.toString()).assertExit(0).assertOutput("team/app #2 queued (replay of #1)");
        awaitInput("team/app#2");

        // A backup while #2 waits for its input; then #2 goes on.
        Path backup = dir.resolve("backups/gantry.zip");
        gantry("admin", "backup", backup.toString()).assertExit(0).assertOutput("backup written to " + backup);
        gantry("input", "team/app#2", "--abort").assertExit(0);
        gantry("log", "team/app#2", "--follow").assertExit(4).assertOutput("VERSION two", "Rejected by admin", "Replayed #1");

        gantry("restart", "team/app#1", "--stage", "Deploy", "--follow").assertExit(0)
                .assertOutput("Stage \"Build\" skipped due to this build restarting at stage \"Deploy\"", "deployed app for prod");
        gantry("restart", "team/app#1", "--stage", "Deplyo").assertExit(2).assertOutput("did you mean 'Deploy'?");
        stop();

        Path restored = dir.resolve("restored");
        Gantry.run(dir, 120, "admin", "restore", backup.toString(), "--home", restored.toString()).assertExit(0)
                .assertOutput("restored 1 job(s) and 2 build(s)");
        Gantry.run(dir, 120, "admin", "restore", backup.toString(), "--home", restored.toString()).assertExit(2).assertOutput("not empty");
        start(restored);
        gantry("job", "list").assertExit(0).assertOutput("team/app");
        gantry("log", "team/app#1").assertExit(0).assertOutput("deployed app for prod");
        gantry("log", "team/app#2").assertExit(0).assertOutput("Input requested: Ship it?");
        java.net.http.HttpResponse<String> artifact = java.net.http.HttpClient.newHttpClient().send(Gantry.request(
                URI.create(url + "api/v1/jobs/team/app/builds/1/artifacts/dist/app.txt")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals("app for prod", artifact.body());
        gantry("restart", "team/app#1", "--stage", "Deploy", "--follow").assertExit(0).assertOutput("deployed app for prod");
    }
}
