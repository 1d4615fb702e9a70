package dev.cutter.cli;

import dev.cutter.init.Starter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cutter init}: a starter spec from what the project directory holds; never over an existing one. */
@Command(footer = {"%nExamples:", "  cutter init", "  cutter init -f deploy/cutter.yaml --json"},
        name = "init",
        description = {"Write a starter cutter.yaml from what the spec's directory holds: go.mod (the project's name), a Dockerfile"
                + " (an image), executables under dist/ (a tarball and its checksums), debian/ (a .deb).",
                "An existing spec is never overwritten (exit 2)."})
final class InitCommand implements Callable<Integer> {
    @Mixin
    SpecWiring wiring;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        Path file = wiring.services().resolve(wiring.file());
        if (Files.exists(file)) {
            throw new CommandFailure(ExitCode.BAD_INPUT, wiring.file() + " exists; cutter init writes a new spec only"
                    + " (edit that one, or give -f ANOTHER.yaml)");
        }
        Path directory = file.toAbsolutePath().getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new CommandFailure(ExitCode.BAD_INPUT, "the directory of " + wiring.file() + " does not exist");
        }
        Starter starter = Starter.of(directory);
        Files.writeString(file, starter.text(), StandardOpenOption.CREATE_NEW); // CREATE_NEW: a spec written meanwhile is kept
        try {
            wiring.spec(); // what it wrote must load: a fault here is Cutter's, told like any spec fault
        } catch (RuntimeException e) {
            Files.deleteIfExists(file); // so that init can run again once it is fixed
            throw e;
        }
        if (json.json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("file", wiring.file().toString());
            body.put("project", starter.project());
            body.put("found", starter.found());
            JsonOption.print(wiring.out(), body);
        } else {
            var out = wiring.out();
            out.println("wrote " + wiring.file() + " for project " + starter.project());
            starter.found().forEach(line -> out.println("  " + line));
            out.println("next: cutter validate" + (wiring.file().toString().equals("cutter.yaml") ? "" : " -f " + wiring.file())
                    + ", then cutter plan --version 0.1.0");
            out.flush();
        }
        return ExitCode.OK;
    }
}
