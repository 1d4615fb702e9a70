/**
 * RPM packages: {@link dev.cutter.pkg.rpm.RpmWriter} writes them (reproducibly, optionally signed
 * with {@link dev.cutter.pkg.rpm.RpmSigner}), {@link dev.cutter.pkg.rpm.RpmHeaders} reads their
 * headers without the payload, {@link dev.cutter.pkg.rpm.RpmVersions} and
 * {@link dev.cutter.pkg.rpm.Evr} order versions as rpm does.
 */
package dev.cutter.pkg.rpm;
