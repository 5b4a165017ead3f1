package dev.gantry.engine.steps;

import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Base64;

/** {@code readFile}: returns a workspace file's content as a string, as in Jenkins. Stateless. */
public final class ReadFileStep implements Step {
    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("readFile")
            .help("Reads a file in the workspace, relative to the current directory, and returns its content as a string.")
            .required("file", ParamType.STRING, "The file's path, relative to the current directory.")
            .optional("encoding", ParamType.STRING, "UTF-8", "The file's character set; 'Base64' returns the bytes "
                    + "Base64-encoded, for binary files.")
            .positional("file")
            .needsWorkspace()
            .build();

    @Override
    public StepDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Object run(StepContext context, StepArguments arguments) {
        Workspace ws = context.workspace();
        String file = arguments.string("file");
        String encoding = arguments.string("encoding");
        byte[] bytes;
        try (InputStream in = ws.read(FileStepSupport.relative(ws, file))) {
            bytes = in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new StepFailedException("readFile: no such file '" + file + "' in " + ws.path());
        } catch (IOException e) {
            throw FileStepSupport.failed("readFile", e);
        }
        if (FileStepSupport.isBase64(encoding)) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return new String(bytes, FileStepSupport.charset("readFile", encoding));
    }
}
