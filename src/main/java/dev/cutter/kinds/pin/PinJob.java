package dev.cutter.kinds.pin;

import dev.cutter.pin.Pin;
import dev.cutter.pin.PinException;
import dev.cutter.pin.Pins;
import dev.cutter.plan.Action;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import dev.cutter.run.jobs.JobFailures;
import dev.cutter.run.jobs.Registries;
import dev.cutter.run.jobs.DistFiles;

/**
 * Sets one pinned value in a file of the checkout (a YAML key, a go.mod require, a kustomize
 * image, a regex match), in place, formatting kept. The tag job commits the pins and, for
 * {@code revert-after}, restores them once the tag is out. Pins of one file run one at a time.
 */
public record PinJob(Registries registries) implements ActionHandler<Action.Pin> {
    private static final Map<Path, ReentrantLock> FILES = new ConcurrentHashMap<>();

    /**
     * What a pin asks before the release starts: that the image tag it pins, when this release does
     * not push it, is in the registry (a pin never names an image that was never pushed).
     */
    public Optional<dev.cutter.run.TargetProbe.Question> question(Action.Pin pin, dev.cutter.run.TargetProbe.Context context) {
        return pin.existing().map(image -> new dev.cutter.run.TargetProbe.Question(image.repository() + ":" + image.tag(), () -> {
            try {
                boolean there = registries.target(context.projectDir(), context.secrets(), image.repository(),
                        Optional.of(image.access())).resolve(image.tag()).isPresent();
                return there ? Optional.empty() : Optional.of("the pinned image tag " + image.repository() + ":" + image.tag()
                        + " is not in the registry, and this release does not push it (pin a tag the image's tags: make,"
                        + " or digest-of)");
            } catch (dev.cutter.oci.RegistryException e) {
                return Optional.of(e.getMessage());
            }
        }));
    }

    @Override
    public JobOutcome run(JobContext context, Action.Pin action) throws Exception {
        Path file = context.projectDir().resolve(action.file()).normalize();
        if (!Files.isRegularFile(file)) {
            throw JobFailure.failed("the pinned file " + action.file() + " does not exist in " + context.projectDir());
        }
        Path project = context.projectDir().toRealPath();
        if (!file.startsWith(context.projectDir().normalize()) || !file.toRealPath().startsWith(project)) {
            throw JobFailure.failed("the pinned file " + action.file() + " lies outside the project " + project
                    + " (through '..' or a symbolic link); a pin edits only the project's own files");
        }
        ReentrantLock lock = FILES.computeIfAbsent(file, f -> new ReentrantLock());
        lock.lock();
        try {
            String value = value(context, action, registries);
            Pins.Edit edit = Pins.edit(file, pin(action), value, DistFiles.staging(context));
            String what = action.kind() + " " + action.target() + " in " + action.file();
            if (!edit.changed()) {
                return JobOutcome.skipped(what + " is already " + value, List.of());
            }
            return JobOutcome.done(what + ": " + edit.previous() + " → " + value, List.of(), List.of());
        } catch (PinException e) {
            throw JobFailure.failed(e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The value to pin: the spec's, or for {@code digest-of} the digest the image's tag has where
     * it is published (a layout or a registry) — the truth of what was released, read now.
     */
    static String value(JobContext context, Action.Pin action, Registries registries) throws java.io.IOException {
        if (action.digestOf().isEmpty()) {
            return action.value();
        }
        Action.Published image = action.digestOf().get();
        Optional<String> digest;
        try {
            digest = registries.target(context, image.repository(), Optional.of(image.access())).resolve(image.tag())
                    .map(d -> d.digest().toString());
        } catch (dev.cutter.oci.RegistryException e) {
            throw JobFailures.of(image.repository() + ":" + image.tag() + ": ", e);
        }
        return digest.orElseThrow(() -> JobFailure.failed("digest-of: " + image.repository() + ":" + image.tag()
                + " is not published; release the project (its images) at this version first"));
    }

    /** The spec's pin as the editor takes it. */
    static Pin pin(Action.Pin action) {
        return switch (action.kind()) {
            case "yaml" -> new Pin.YamlKey(action.target());
            case "json" -> new Pin.JsonKey(action.target());
            case "toml" -> new Pin.TomlKey(action.target());
            case "go-require" -> new Pin.GoRequire(action.target());
            case "kustomize-image" -> {
                int hash = action.target().lastIndexOf('#');
                yield new Pin.KustomizeImage(action.target().substring(0, hash), Pin.Field.of(action.target().substring(hash + 1)));
            }
            case "regex" -> new Pin.Regex(action.target(), action.replace().orElse("{value}"));
            default -> throw JobFailure.failed("no pin of kind '" + action.kind() + "'");
        };
    }
}
