/**
 * Debian binary packages: {@link dev.cutter.pkg.deb.DebWriter} turns a
 * {@link dev.cutter.pkg.PackageMetadata} into a reproducible {@code .deb} (ar of
 * {@code debian-binary}, {@code control.tar.gz|xz}, {@code data.tar.gz|xz}) that dpkg, apt and
 * lintian accept, streaming file contents; {@link dev.cutter.pkg.deb.DebianVersion} parses and
 * orders versions as dpkg does.
 */
package dev.cutter.pkg.deb;
