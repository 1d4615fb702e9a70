package dev.cutter.kinds.image;

import dev.cutter.build.Dockerfile;
import dev.cutter.spec.Cell;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/**
 * What {@code validate} checks of a Dockerfile build in each cell, before any builder runs: the
 * Dockerfile is a file of the project, the context a directory of the project, and every build arg
 * given is one the Dockerfile declares with {@code ARG} (or a proxy variable every builder knows).
 * A path still holding a release placeholder ({@code {version}}) is checked when it is known.
 */
final class DockerfileChecks {
    private DockerfileChecks() {}

    /**
     * Whether a build's output lies in {@code context}: a directory the release makes (a binary's
     * build output as the context of its platform's image) need not be there before it.
     */
    private static boolean madeByABuild(SectionChecks checks, String context) {
        String directory = context.replaceAll("/+$", "") + "/";
        for (var build : checks.spec().sections().get(dev.cutter.kinds.build.BuildSection.SECTION)) {
            for (Cell cell : dev.cutter.spec.Matrix.expand(build.matrix())) {
                for (Template output : build.outputs()) {
                    if (checks.sample(output, cell, null).startsWith(directory)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static void check(ImageSpec image, Template dockerfile, Cell cell, SectionChecks checks) {
        checks.projectFile(dockerfile, cell);
        image.context().ifPresent(t -> checks.projectFile(t, cell));
        Path project = checks.projectDirectory();
        String path = checks.sample(dockerfile, cell, null);
        if (path.contains("{") || dev.cutter.content.ProjectPaths.problem(path).isPresent()) {
            return; // known only when released, or already told
        }
        Path file = project.resolve(path).normalize();
        if (!dev.cutter.content.ProjectPaths.within(project, file)) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            tell(checks, dockerfile, "the Dockerfile '" + path + "' does not exist" + (Files.isDirectory(file)
                    ? " (it is a directory; name the file in it, e.g. " + path.replaceAll("/$", "") + "/Dockerfile)" : ""));
            return;
        }
        image.context().ifPresent(t -> {
            String context = checks.sample(t, cell, null);
            if (!context.contains("{") && dev.cutter.content.ProjectPaths.problem(context).isEmpty()
                    && dev.cutter.content.ProjectPaths.within(project, project.resolve(context).normalize())
                    && !Files.isDirectory(project.resolve(context)) && !madeByABuild(checks, context)) {
                tell(checks, t, "the build context '" + context + "' is not a directory of the project");
            }
        });
        Dockerfile parsed;
        try {
            parsed = Dockerfile.read(file);
        } catch (IOException e) {
            tell(checks, dockerfile, "the Dockerfile '" + path + "' cannot be read: " + e.getMessage());
            return;
        }
        for (Map.Entry<String, Template> arg : image.args().entrySet()) {
            if (!parsed.accepts(arg.getKey())) {
                tell(checks, arg.getValue(), "unknown build arg '" + arg.getKey() + "': " + path + " declares no ARG "
                        + arg.getKey() + (parsed.args().isEmpty() ? " (it declares none)"
                        : " (it declares " + String.join(", ", new TreeSet<>(parsed.args().keySet())) + ")"));
            }
        }
    }

    private static void tell(SectionChecks checks, Template where, String message) {
        if (checks.firstTime(where.path() + "\0" + message)) {
            checks.problem(where.location(), where.path(), message);
        }
    }
}
