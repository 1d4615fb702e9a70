package dev.cutter.repo;

import dev.cutter.content.Staging;
import dev.cutter.repo.apt.AptCompression;
import dev.cutter.repo.apt.AptPackage;
import dev.cutter.repo.apt.AptPublishOptions;
import dev.cutter.repo.apt.AptRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** An apt repository: packages under one dist and component, indexes under {@code dists/}. */
record AptPackageRepository(Path root, Settings settings, Staging staging) implements PackageRepository {
    @Override
    public Path index() {
        return root.resolve("dists").resolve(settings.dist()).resolve("Release");
    }

    @Override
    public List<Entry> add(List<Path> files) throws IOException {
        Files.createDirectories(root);
        AptRepository apt = AptRepository.open(root, staging);
        List<Entry> added = entries(apt.add(settings.dist(), settings.component(), files));
        apt.publish(options());
        return added;
    }

    @Override
    public List<String> conflicts(List<Path> files) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        return AptRepository.open(root, staging).conflicts(settings.dist(), settings.component(), files);
    }

    @Override
    public int reindex() throws IOException {
        Files.createDirectories(root);
        AptRepository apt = AptRepository.open(root, staging);
        int indexed = apt.rebuild(settings.dist(), settings.component());
        apt.publish(options());
        return indexed;
    }

    @Override
    public List<Entry> remove(String name, Optional<String> version) throws IOException {
        AptRepository apt = AptRepository.open(root, staging);
        List<Entry> removed = entries(apt.remove(settings.dist(), settings.component(), name, version));
        apt.publish(options());
        return removed;
    }

    @Override
    public List<Entry> list() throws IOException {
        return entries(AptRepository.open(root, staging).list(settings.dist(), settings.component()));
    }

    @Override
    public List<String> verify(Optional<Path> publicKey) throws IOException {
        return AptRepository.open(root, staging).verify().problems(); // publicKey is for yum's repomd.xml.asc
    }

    private AptPublishOptions options() {
        Set<AptCompression> compressions = EnumSet.of(AptCompression.NONE); // apt-ftparchive writes the plain file too
        for (String c : settings.compressions()) {
            compressions.add(switch (c) {
                case "gz" -> AptCompression.GZIP;
                case "xz" -> AptCompression.XZ;
                default -> throw new IllegalArgumentException("apt indexes are compressed with gz or xz, not " + c);
            });
        }
        AptPublishOptions options = AptPublishOptions.defaults(settings.origin(), settings.date()).withKeep(settings.keep())
                .withByHash(settings.byHash()).withCompressions(compressions);
        return settings.signer().map(options::withSigner).orElse(options);
    }

    private static List<Entry> entries(List<AptPackage> packages) {
        return packages.stream().map(p -> new Entry(p.name(), p.version(), p.architecture(), p.filename(), p.size(), p.sha256()))
                .toList();
    }
}
