package dev.cutter.kinds.packages;

import dev.cutter.content.Digest;
import dev.cutter.pkg.PackageFile;
import dev.cutter.pkg.PackageMetadata;
import dev.cutter.pkg.deb.DebWriter;
import dev.cutter.pkg.rpm.PayloadCompression;
import dev.cutter.pkg.rpm.RpmSigner;
import dev.cutter.pkg.rpm.RpmWriter;
import dev.cutter.plan.Action;
import dev.cutter.plan.PackageArch;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import dev.cutter.run.jobs.DistFiles;
import dev.cutter.run.jobs.ProjectFiles;
import dev.cutter.run.jobs.SigningKeys;

/**
 * One .deb or .rpm from the files the builds made and the spec's metadata, written to
 * {@code dist/}. Reproducible: every mtime and the build time are the source date, so a
 * resumed release rebuilds the very bytes a repository already holds.
 */
public final class PackageJob implements ActionHandler<Action.Package> {
    @Override
    public JobOutcome run(JobContext context, Action.Package pkg) throws Exception {
        PackageMetadata metadata = metadata(context, pkg);
        Path target = DistFiles.resolve(context, "package", pkg.file());
        Files.createDirectories(target.getParent());
        try {
            write(context, pkg, metadata, target);
        } catch (IllegalArgumentException e) { // DebFields / RpmNames: the spec's name, version or architecture
            throw JobFailure.failed("package " + pkg.file() + ": " + e.getMessage());
        }
        return JobOutcome.done(metadata.files().size() + " files", List.of(context.artifact("package", pkg.file(),
                context.projectDir().relativize(target), Digest.sha256(target), Files.size(target))), List.of());
    }

    private static void write(JobContext context, Action.Package pkg, PackageMetadata metadata, Path target) throws IOException {
        switch (pkg.format()) {
            case "deb" -> new DebWriter().write(metadata, target, DistFiles.staging(context));
            case "rpm" -> {
                Optional<RpmSigner> signer = Optional.empty();
                if (pkg.key().isPresent()) {
                    var key = SigningKeys.read(context, pkg.key().get(), pkg.passphrase());
                    signer = Optional.of(new RpmSigner(key, SigningKeys.clock(context, key)));
                }
                Path written = new RpmWriter(PayloadCompression.GZIP, signer).write(metadata, target.getParent(), DistFiles.staging(context));
                if (!written.equals(target)) { // the plan and the writer name packages alike; say so if they ever part
                    throw new IllegalStateException("the rpm writer named " + pkg.file() + " " + written.getFileName());
                }
            }
            default -> throw JobFailure.failed("no writer for package format '" + pkg.format() + "'; deb or rpm");
        }
    }

    static PackageMetadata metadata(JobContext context, Action.Package pkg) throws IOException {
        List<PackageFile> files = new ArrayList<>();
        for (Map.Entry<String, String> file : pkg.files().entrySet()) {
            Path source = ProjectFiles.source(context, file.getValue()); // never a file outside the project
            if (Files.isDirectory(source)) {
                files.addAll(tree(context, file.getKey(), file.getValue(), source));
            } else {
                files.add(new PackageFile(file.getKey(), source(context, file.getValue()), mode(source(context, file.getValue())), false));
            }
        }
        for (Map.Entry<String, String> file : pkg.configFiles().entrySet()) {
            files.add(new PackageFile(file.getKey(), source(context, file.getValue()), 0644, true));
        }
        Map<String, Path> scripts = new TreeMap<>();
        pkg.scripts().forEach((name, file) -> scripts.put(name, ProjectFiles.source(context, file)));
        for (Path script : scripts.values()) {
            if (!Files.isRegularFile(script)) {
                throw JobFailure.failed("the maintainer script " + context.projectDir().relativize(script) + " does not exist");
            }
        }
        String description = pkg.description().strip();
        String summary = description.lines().findFirst().orElse(pkg.name());
        String release = pkg.format().equals("rpm") ? PackageArch.RPM_RELEASE : "";
        return new PackageMetadata(pkg.name(), pkg.version(), release, pkg.architecture(), summary, description,
                pkg.maintainer(), pkg.homepage(), pkg.license(), pkg.section(), pkg.relations(), files, scripts,
                context.sourceDate());
    }

    /**
     * A directory's regular files under {@code installPath}, each at its path below the directory,
     * in name order, with its mode (a runtime image: {@code bin/java} stays executable). A symbolic
     * link is packaged as the file it names, which must be inside the project too.
     */
    private static List<PackageFile> tree(JobContext context, String installPath, String name, Path directory) throws IOException {
        Path project = context.projectDir().toAbsolutePath().normalize();
        List<PackageFile> files = new ArrayList<>();
        try (var walk = Files.walk(directory)) {
            for (Path file : walk.sorted().toList()) {
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                Path real = file.toRealPath();
                if (!real.startsWith(project.toRealPath())) {
                    throw JobFailure.failed("the package directory " + name + " holds " + project.relativize(file.toAbsolutePath().normalize())
                            + ", a symbolic link that leads outside the project; package files inside " + project);
                }
                String relative = directory.relativize(file).toString().replace('\\', '/');
                files.add(new PackageFile((installPath.endsWith("/") ? installPath : installPath + "/") + relative, real, mode(real), false));
            }
        }
        if (files.isEmpty()) {
            throw JobFailure.failed("the package directory " + name + " holds no file; the build that makes it must list them in outputs");
        }
        return files;
    }

    private static Path source(JobContext context, String file) {
        Path path = ProjectFiles.source(context, file); // never a file outside the project
        if (!Files.isRegularFile(path)) {
            throw JobFailure.failed("the package file " + file + " does not exist; the build that makes it must list it in outputs");
        }
        return path;
    }

    /** Executables stay executable (0755); everything else is 0644, whatever the build's umask was. */
    private static int mode(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        return permissions.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
    }
}
