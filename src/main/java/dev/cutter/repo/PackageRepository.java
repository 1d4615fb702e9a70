package dev.cutter.repo;

import dev.cutter.repo.apt.AptCompression;
import dev.cutter.repo.apt.AptPackage;
import dev.cutter.repo.apt.AptPublishOptions;
import dev.cutter.repo.apt.AptRepository;
import dev.cutter.repo.apt.AptVerification;
import dev.cutter.repo.yum.MetadataCompression;
import dev.cutter.repo.yum.YumPackage;
import dev.cutter.repo.yum.YumPublishOptions;
import dev.cutter.repo.yum.YumRepository;
import dev.cutter.repo.yum.YumVerification;
import dev.cutter.sign.OpenPgpSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An apt or yum repository in a directory, whichever it is, as a release and {@code cutter repo}
 * use it: add packages, remove some, publish signed, list, verify. One place decides what the
 * settings mean for each kind, so a release and a manual change publish alike.
 */
public final class PackageRepository {
    /**
     * How the repository is published.
     *
     * @param type {@code apt} or {@code yum}
     * @param origin apt's Origin and Label: who publishes (the project)
     * @param dist apt's distribution (e.g. stable); ignored by yum
     * @param component apt's component (e.g. main); ignored by yum
     * @param keep versions kept per package and architecture; 0 keeps all
     * @param byHash apt's by-hash indexes
     * @param compressions apt: gz and/or xz (the plain Packages is always written); yum: one of gz, zst
     * @param signer signs the Release/InRelease or repomd.xml
     * @param date the Release Date / repomd revision: the same packages and date give the same bytes
     */
    public record Settings(String type, String origin, String dist, String component, int keep, boolean byHash, List<String> compressions,
            Optional<OpenPgpSigner> signer, Instant date) {
        public Settings {
            if (!type.equals("apt") && !type.equals("yum")) {
                throw new IllegalArgumentException("a repository is apt or yum, not '" + type + "'");
            }
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(dist, "dist");
            Objects.requireNonNull(component, "component");
            compressions = List.copyOf(compressions);
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(date, "date");
        }

        public String packageFormat() {
            return type.equals("apt") ? "deb" : "rpm";
        }
    }

    /** One package as the repository indexes it. */
    public record Entry(String name, String version, String architecture, String file, long size, String sha256) {}

    private final Path root;
    private final Settings settings;

    private PackageRepository(Path root, Settings settings) {
        this.root = root;
        this.settings = settings;
    }

    public static PackageRepository at(Path root, Settings settings) {
        return new PackageRepository(root.toAbsolutePath().normalize(), settings);
    }

    public String type() {
        return settings.type();
    }

    /** The package files it takes: deb or rpm. */
    public String settingsFormat() {
        return settings.packageFormat();
    }

    /** The kind of repository already in {@code root}, if any: apt has dists/, yum has repodata/. */
    public static Optional<String> detect(Path root) {
        if (Files.isDirectory(root.resolve("dists")) || Files.isDirectory(root.resolve(".cutter/apt"))) {
            return Optional.of("apt");
        }
        if (Files.isDirectory(root.resolve("repodata")) || Files.exists(root.resolve(YumRepository.INDEX_FILE))) {
            return Optional.of("yum");
        }
        return Optional.empty();
    }

    /** The file clients read first and whose digest says whether anything changed. */
    public Path index() {
        return settings.type().equals("apt") ? root.resolve("dists").resolve(settings.dist()).resolve("Release")
                : root.resolve("repodata").resolve("repomd.xml");
    }

    /**
     * Adds {@code files} (only they are read) and publishes. Every package is read and checked
     * before the first is copied in, so a refusal leaves the repository as it was.
     *
     * @throws dev.cutter.pkg.InvalidPackageException when a file is not a package of the repository's
     *     format, or its metadata breaks the format's grammar (a name that would leave the pool)
     * @throws dev.cutter.pkg.PackageExistsException when the repository holds the same name, version
     *     and architecture with other bytes (law 3)
     */
    public List<Entry> add(List<Path> files) throws IOException {
        List<Entry> added = new ArrayList<>();
        Files.createDirectories(root);
        if (settings.type().equals("apt")) {
            AptRepository apt = AptRepository.open(root);
            apt.add(settings.dist(), settings.component(), files).forEach(p -> added.add(entry(p)));
            apt.publish(aptOptions());
        } else {
            YumRepository yum = YumRepository.open(root);
            yum.add(files).forEach(p -> added.add(entry(p)));
            yum.publish(yumOptions());
        }
        return added;
    }

    /**
     * Forgets what is indexed, reads every package in the directory again (apt: under
     * {@code pool/<component>}; yum: anywhere below the root) and publishes: what
     * {@code createrepo_c DIR} or {@code apt-ftparchive} do. The incremental {@link #add} gives the
     * same indexes byte for byte.
     */
    public List<Entry> reindex() throws IOException {
        Files.createDirectories(root);
        if (settings.type().equals("apt")) {
            AptRepository apt = AptRepository.open(root);
            List<Entry> indexed = apt.rebuild(settings.dist(), settings.component()).stream().map(PackageRepository::entry).toList();
            apt.publish(aptOptions());
            return indexed;
        }
        YumRepository yum = YumRepository.rebuild(root);
        yum.publish(yumOptions());
        return yum.list().stream().map(PackageRepository::entry).toList();
    }

    /** Removes every version of {@code name}, or just {@code version}, and publishes. */
    public List<Entry> remove(String name, Optional<String> version) throws IOException {
        List<Entry> removed = new ArrayList<>();
        if (settings.type().equals("apt")) {
            AptRepository apt = AptRepository.open(root);
            apt.remove(settings.dist(), settings.component(), name, version).forEach(p -> removed.add(entry(p)));
            apt.publish(aptOptions());
        } else {
            YumRepository yum = YumRepository.open(root);
            yum.remove(name, version).forEach(p -> removed.add(entry(p)));
            yum.publish(yumOptions());
        }
        return removed;
    }

    public List<Entry> list() throws IOException {
        if (settings.type().equals("apt")) {
            return AptRepository.open(root).list(settings.dist(), settings.component()).stream().map(PackageRepository::entry).toList();
        }
        return YumRepository.open(root).list().stream().map(PackageRepository::entry).toList();
    }

    /**
     * Problems found by reading every index and package against the checksums that name them
     * (and, for yum, repomd.xml's signature against {@code publicKey}); empty when all is well.
     */
    public List<String> verify(Optional<Path> publicKey) throws IOException {
        if (settings.type().equals("apt")) {
            AptVerification result = AptRepository.open(root).verify();
            return result.problems();
        }
        YumVerification result = YumRepository.open(root).verify(publicKey);
        return result.problems();
    }

    private AptPublishOptions aptOptions() {
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

    private YumPublishOptions yumOptions() {
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

    private static Entry entry(AptPackage p) {
        return new Entry(p.name(), p.version(), p.architecture(), p.filename(), p.size(), p.sha256());
    }

    private static Entry entry(YumPackage p) {
        return new Entry(p.name(), p.evr().toString(), p.arch(), p.location(), p.packageSize(), p.sha256());
    }
}
