package dev.cutter.repo;

import dev.cutter.content.Staging;
import dev.cutter.repo.yum.YumRepository;
import dev.cutter.sign.OpenPgpSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An apt or yum repository in a directory, whichever it is, as a release and {@code cutter repo}
 * use it: add packages, remove some, publish signed, list, verify. The kind is chosen once, in
 * {@link #at}; each implementation decides what the settings mean for its kind, so a release and a
 * manual change publish alike.
 */
public sealed interface PackageRepository permits AptPackageRepository, YumPackageRepository {
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
    record Settings(String type, String origin, String dist, String component, int keep, boolean byHash, List<String> compressions,
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
    record Entry(String name, String version, String architecture, String file, long size, String sha256) {}

    /** The repository of {@code settings.type()} in {@code root}; what it writes is made in {@code staging} first. */
    static PackageRepository at(Path root, Settings settings, Staging staging) {
        Path dir = root.toAbsolutePath().normalize();
        return settings.type().equals("apt") ? new AptPackageRepository(dir, settings, staging)
                : new YumPackageRepository(dir, settings, staging);
    }

    /** The kind of repository already in {@code root}, if any: apt has dists/, yum has repodata/. */
    static Optional<String> detect(Path root) {
        if (Files.isDirectory(root.resolve("dists")) || Files.isDirectory(root.resolve(".cutter/apt"))) {
            return Optional.of("apt");
        }
        if (Files.isDirectory(root.resolve("repodata")) || Files.exists(root.resolve(YumRepository.INDEX_FILE))) {
            return Optional.of("yum");
        }
        return Optional.empty();
    }

    /**
     * What {@link #add} would refuse, changing nothing: each of {@code files} this repository
     * already holds at its version with other bytes (law 3), as the refusal's message. Empty when
     * adding them would change no published package, or nothing is published here yet.
     */
    List<String> conflicts(List<Path> files) throws IOException;

    /** The directory it lives in. */
    Path root();

    Settings settings();

    /** {@code apt} or {@code yum}. */
    default String type() {
        return settings().type();
    }

    /** The package files it takes: deb or rpm. */
    default String settingsFormat() {
        return settings().packageFormat();
    }

    /** The file clients read first and whose digest says whether anything changed. */
    Path index();

    /**
     * Adds {@code files} (only they are read) and publishes. Every package is read and checked
     * before the first is copied in, so a refusal leaves the repository as it was.
     *
     * @throws dev.cutter.pkg.InvalidPackageException when a file is not a package of the repository's
     *     format, or its metadata breaks the format's grammar (a name that would leave the pool)
     * @throws dev.cutter.pkg.PackageExistsException when the repository holds the same name, version
     *     and architecture with other bytes (law 3)
     */
    List<Entry> add(List<Path> files) throws IOException;

    /**
     * Forgets what is indexed, reads every package in the directory again (apt: under
     * {@code pool/<component>}; yum: anywhere below the root) and publishes: what
     * {@code createrepo_c DIR} or {@code apt-ftparchive} do. The incremental {@link #add} gives the
     * same indexes byte for byte.
     *
     * @return the number of packages indexed (a list of them would hold every package at once)
     */
    int reindex() throws IOException;

    /** Removes every version of {@code name}, or just {@code version}, and publishes. */
    List<Entry> remove(String name, Optional<String> version) throws IOException;

    List<Entry> list() throws IOException;

    /**
     * Problems found by reading every index and package against the checksums that name them
     * (and, for yum, repomd.xml's signature against {@code publicKey}); empty when all is well.
     */
    List<String> verify(Optional<Path> publicKey) throws IOException;
}
