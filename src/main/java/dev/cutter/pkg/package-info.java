/**
 * Packages built from files and metadata: {@code deb} (ar of control and data tars) and
 * {@code rpm} (lead, signature and header, cpio payload), both reproducible from
 * {@link dev.cutter.pkg.PackageMetadata}.
 */
package dev.cutter.pkg;
