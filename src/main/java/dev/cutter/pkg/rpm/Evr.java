package dev.cutter.pkg.rpm;

import java.util.Optional;

/**
 * An RPM epoch, version and release, ordered as rpm orders packages: epoch as a number (absent is
 * 0), then version and release by {@link RpmVersions#compare}.
 */
public record Evr(long epoch, String version, Optional<String> release) implements Comparable<Evr> {
    public Evr {
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch: " + epoch);
        }
    }

    /** Parses {@code [epoch:]version[-release]}, as dependency versions and {@code rpm -q} write them. */
    public static Evr parse(String evr) {
        int colon = evr.indexOf(':');
        long epoch = 0;
        String rest = evr;
        if (colon >= 0) {
            try {
                epoch = Long.parseLong(evr.substring(0, colon));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an RPM epoch in \"" + evr + "\": " + evr.substring(0, colon));
            }
            rest = evr.substring(colon + 1);
        }
        int dash = rest.lastIndexOf('-');
        return dash < 0
                ? new Evr(epoch, rest, Optional.empty())
                : new Evr(epoch, rest.substring(0, dash), Optional.of(rest.substring(dash + 1)));
    }

    @Override
    public int compareTo(Evr other) {
        int c = Long.compare(epoch, other.epoch);
        if (c == 0) {
            c = RpmVersions.compare(version, other.version);
        }
        if (c == 0 && release.isPresent() && other.release.isPresent()) {
            c = RpmVersions.compare(release.get(), other.release.get());
        }
        return c;
    }

    /** {@code epoch:version-release}, the epoch only when not 0. */
    @Override
    public String toString() {
        return (epoch == 0 ? "" : epoch + ":") + version + release.map(r -> "-" + r).orElse("");
    }
}
