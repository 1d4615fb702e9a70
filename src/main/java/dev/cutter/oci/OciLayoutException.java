package dev.cutter.oci;

import dev.cutter.content.ContentProblem;
import java.io.IOException;
import java.nio.file.Path;

/** An OCI image layout directory whose content Cutter cannot use as it is; names the file. */
public final class OciLayoutException extends IOException implements ContentProblem {
    public OciLayoutException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public OciLayoutException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
