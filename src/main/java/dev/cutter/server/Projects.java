package dev.cutter.server;

import dev.cutter.spec.Spec;
import dev.cutter.spec.SpecLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The specs the server releases, by project name. Each start request loads its spec again, so
 * an edited {@code cutter.yaml} is released as it is now, exactly as {@code cutter release} would.
 */
final class Projects {
    private final Map<String, Path> files = new LinkedHashMap<>();
    private final SpecLoader loader;

    Projects(List<Path> specs, SpecLoader loader) {
        this.loader = loader;
        for (Path file : specs) {
            Spec spec = loader.load(file);
            Path other = files.putIfAbsent(spec.project(), file.toAbsolutePath());
            if (other != null) {
                throw new dev.cutter.plan.PlanException(file + " and " + other + " both declare project " + spec.project()
                        + "; give each project once");
            }
        }
    }

    List<String> names() {
        return List.copyOf(files.keySet());
    }

    Path file(String project) {
        Path file = files.get(project);
        if (file == null) {
            throw new Refusal(404, "no project '" + project + "' here; this server releases " + String.join(", ", files.keySet()));
        }
        return file;
    }

    Spec load(String project) {
        return loader.load(file(project));
    }

    List<Path> files() {
        return List.copyOf(files.values());
    }
}
