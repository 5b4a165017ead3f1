package dev.gantry.engine.steps;

import dev.gantry.api.Result;
import dev.gantry.api.build.NodeLease;
import dev.gantry.api.build.RunControl;
import dev.gantry.api.step.Body;
import dev.gantry.api.step.Cancellation;
import dev.gantry.api.step.Console;
import dev.gantry.api.step.FlowInterruptedException;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.Workspace;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small, real {@link StepContext} for driving steps in tests: the console collects bytes, the
 * workspace is a real one, services are whatever the test registers. Node allocation and parallel
 * branches are not part of what these steps use.
 */
final class TestStepContext implements StepContext {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final AtomicInteger openStreams = new AtomicInteger();
    private final Map<Class<?>, Object> services = new HashMap<>();
    private Workspace workspace;
    private Map<String, String> environment = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    private Body body;
    private volatile Result result = Result.SUCCESS;
    private volatile String cancelReason;

    TestStepContext(Workspace workspace) {
        this.workspace = workspace;
    }

    TestStepContext env(Map<String, String> env) {
        this.environment = Map.copyOf(env);
        return this;
    }

    TestStepContext body(Body body) {
        this.body = body;
        return this;
    }

    <T> TestStepContext service(Class<T> type, T service) {
        services.put(type, service);
        return this;
    }

    TestStepContext result(Result r) {
        this.result = r;
        return this;
    }

    /** Marks the scope cancelled, as an abort would before interrupting the step's thread. */
    void cancel(String reason) {
        this.cancelReason = reason;
    }

    /** Everything written to the console so far. */
    String log() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public String id() {
        return "test/1";
    }

    @Override
    public Console console() {
        return new Console() {
            @Override
            public void println(String line) {
                byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
                synchronized (log) {
                    log.write(b, 0, b.length);
                }
            }

            @Override
            public OutputStream stream() {
                openStreams.incrementAndGet();
                return new OutputStream() {
                    private boolean closed;

                    @Override
                    public void write(int b) {
                        synchronized (log) {
                            log.write(b);
                        }
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        synchronized (log) {
                            log.write(b, off, len);
                        }
                    }

                    @Override
                    public void close() {
                        if (!closed) {
                            closed = true;
                            openStreams.decrementAndGet();
                        }
                    }
                };
            }
        };
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public boolean hasWorkspace() {
        return workspace != null;
    }

    @Override
    public Workspace workspace() {
        if (workspace == null) {
            throw new StepFailedException("this step needs a workspace: wrap it in node { }");
        }
        return workspace;
    }

    @Override
    public Body body() {
        return body;
    }

    @Override
    public RunControl run() {
        return new RunControl() {
            @Override
            public String jobName() {
                return "test-job";
            }

            @Override
            public int number() {
                return 1;
            }

            @Override
            public Result result() {
                return result;
            }

            @Override
            public void setResult(Result r) {
                result = result.combine(r);
            }

            @Override
            public void setStageResult(Result r) {
                // no stages in these tests
            }

            @Override
            public String currentStage() {
                return null;
            }

            @Override
            public Map<String, Object> parameters() {
                return Map.of();
            }
        };
    }

    @Override
    public NodeLease allocateNode(String labelExpression, String customWorkspace) {
        throw new UnsupportedOperationException("node allocation is not part of the file and process step tests");
    }

    @Override
    public Map<String, Object> parallel(Map<String, Body> branches, boolean failFast) {
        throw new UnsupportedOperationException("parallel is not part of the file and process step tests");
    }

    @Override
    public Cancellation newCancellation() {
        throw new UnsupportedOperationException("cancellation scopes are not part of the file and process step tests");
    }

    @Override
    public void checkInterrupted() {
        String reason = cancelReason;
        if (reason != null) {
            throw new FlowInterruptedException(Result.ABORTED, reason);
        }
    }

    @Override
    public <T> Optional<T> service(Class<T> type) {
        return Optional.ofNullable(type.cast(services.get(type)));
    }
}
