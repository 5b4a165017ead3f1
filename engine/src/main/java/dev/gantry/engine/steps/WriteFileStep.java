package dev.gantry.engine.steps;

import dev.gantry.api.step.ParamType;
import dev.gantry.api.step.Step;
import dev.gantry.api.step.StepArguments;
import dev.gantry.api.step.StepContext;
import dev.gantry.api.step.StepDescriptor;
import dev.gantry.api.step.StepFailedException;
import dev.gantry.api.workspace.Workspace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;

/** {@code writeFile}: writes a string to a workspace file, as in Jenkins. Stateless. */
public final class WriteFileStep implements Step {
    private static final StepDescriptor DESCRIPTOR = StepDescriptor.builder("writeFile")
            .help("Writes text to a file in the workspace, relative to the current directory, creating parent "
                    + "directories and replacing what was there.")
            .required("file", ParamType.STRING, "The file's path, relative to the current directory.")
            .required("text", ParamType.STRING, "The content to write.")
            .optional("encoding", ParamType.STRING, "UTF-8", "The character set to write; 'Base64' decodes text "
                    + "from Base64 and writes the bytes, for binary files.")
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
        String text = arguments.string("text");
        String encoding = arguments.string("encoding");
        byte[] bytes;
        if (FileStepSupport.isBase64(encoding)) {
            try {
                bytes = Base64.getMimeDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new StepFailedException("writeFile: text is not valid Base64 (" + e.getMessage() + ")");
            }
        } else {
            bytes = text.getBytes(FileStepSupport.charset("writeFile", encoding));
        }
        try {
            ws.write(FileStepSupport.relative(ws, file), new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw FileStepSupport.failed("writeFile", e);
        }
        return null;
    }
}
