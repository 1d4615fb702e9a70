package dev.cutter.repo;

import dev.cutter.content.Staging;
import dev.cutter.repo.yum.MetadataCompression;
import dev.cutter.repo.yum.YumPackage;
import dev.cutter.repo.yum.YumPublishOptions;
import dev.cutter.repo.yum.YumRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A yum repository: packages anywhere below the root, metadata under {@code repodata/}; dist and component mean nothing here. */
record YumPackageRepository(Path root, Settings settings, Staging staging) implements PackageRepository {
    @Override
    public Path index() {
        return root.resolve("repodata").resolve("repomd.xml");
    }

    @Override
    public List<Entry> add(List<Path> files) throws IOException {
        Files.createDirectories(root);
        YumRepository yum = YumRepository.open(root, staging);
        List<Entry> added = entries(yum.add(files));
        yum.publish(options());
        return added;
    }

    @Override
    public List<String> conflicts(List<Path> files) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        return YumRepository.open(root, staging).conflicts(files);
    }

    @Override
    public int reindex() throws IOException {
        Files.createDirectories(root);
        YumRepository yum = YumRepository.rebuild(root, staging);
        yum.publish(options());
        return yum.list().size();
    }

    @Override
    public List<Entry> remove(String name, Optional<String> version) throws IOException {
        YumRepository yum = YumRepository.open(root, staging);
        List<Entry> removed = entries(yum.remove(name, version));
        yum.publish(options());
        return removed;
    }

    @Override
    public List<Entry> list() throws IOException {
        return entries(YumRepository.open(root, staging).list());
    }

    @Override
    public List<String> verify(Optional<Path> publicKey) throws IOException {
        return YumRepository.open(root, staging).verify(publicKey).problems();
    }

    private YumPublishOptions options() {
        if (settings.compressions().size() > 1) {
            throw new IllegalArgumentException("yum metadata takes one compression, gz or zst, not " + settings.compressions());
        }
        MetadataCompression compression = switch (settings.compressions().isEmpty() ? "gz" : settings.compressions().get(0)) {
            case "gz" -> MetadataCompression.GZIP;
            case "zst" -> MetadataCompression.ZSTD;
            default -> throw new IllegalArgumentException("yum metadata is compressed with gz or zst, not "
                    + settings.compressions().get(0));
        };
        YumPublishOptions options = YumPublishOptions.at(settings.date()).withKeep(settings.keep()).withCompression(compression);
        return settings.signer().map(options::withSigner).orElse(options);
    }

    private static List<Entry> entries(List<YumPackage> packages) {
        return packages.stream().map(p -> new Entry(p.name(), p.evr().toString(), p.arch(), p.location(), p.packageSize(), p.sha256()))
                .toList();
    }
}
