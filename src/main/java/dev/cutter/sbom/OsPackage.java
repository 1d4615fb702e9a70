package dev.cutter.sbom;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An operating-system package a package database in an image lists as installed.
 *
 * @param manager {@code deb}, {@code apk} or {@code rpm}: the package URL type
 * @param license as the database writes it (apk and rpm keep one; dpkg does not)
 * @param database the database's path in the image, where it was found
 */
public record OsPackage(String manager, String name, String version, Optional<String> architecture, Optional<String> license,
        String database) {

    /**
     * The package URL (purl spec): {@code pkg:deb/debian/bash@5.2.15-2+b2?arch=amd64}, with the
     * distribution from {@code os-release} as namespace when it is known.
     */
    public String purl(Optional<String> distribution) {
        StringBuilder out = new StringBuilder("pkg:").append(manager).append('/');
        distribution.ifPresent(d -> out.append(encode(d)).append('/'));
        out.append(encode(name)).append('@').append(encode(version));
        architecture.ifPresent(a -> out.append("?arch=").append(encode(a)));
        return out.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%2B").replace("%3A", ":").replace("%7E", "~");
    }
}
