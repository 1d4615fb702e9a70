package dev.cutter.version;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/** How a project writes its versions; chosen once per project (or component) in configuration. */
public enum VersionScheme {
    /** Semantic Versioning 2.0.0, see {@link SemVer}. */
    SEMVER("semver") {
        @Override
        public Version parse(String text) {
            return SemVer.parse(text);
        }
    },
    /** Dot-separated numbers with an optional label, see {@link LooseVersion}. */
    LOOSE("loose") {
        @Override
        public Version parse(String text) {
            return LooseVersion.parse(text);
        }
    };

    private final String configName;

    VersionScheme(String configName) {
        this.configName = configName;
    }

    /** Parses {@code text} in this scheme; throws {@link VersionException} if it is not valid. */
    public abstract Version parse(String text);

    /** The name used in configuration, e.g. {@code semver}. */
    public String configName() {
        return configName;
    }

    /**
     * The scheme called {@code name} in configuration ({@code semver} or {@code loose}; case is
     * ignored).
     *
     * @throws VersionException listing the valid names when there is no such scheme
     */
    public static VersionScheme of(String name) {
        Objects.requireNonNull(name, "name");
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (VersionScheme scheme : values()) {
            if (scheme.configName.equals(wanted)) {
                return scheme;
            }
        }
        throw new VersionException("unknown version scheme \"" + name + "\"; valid schemes are "
                + Arrays.stream(values()).map(VersionScheme::configName).collect(Collectors.joining(", ")));
    }
}
