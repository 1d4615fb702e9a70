/**
 * Releases: named sets of assets (tarballs, checksums, signatures) with metadata and notes, in a
 * {@link dev.cutter.release.ReleaseStore}.
 *
 * <p>Every store follows the same rules: a release is published whole or not at all; publishing
 * identical content again changes nothing ({@code UNCHANGED}); other content is refused
 * ({@link dev.cutter.release.ReleaseExistsException}, law 3) unless the policy is
 * {@link dev.cutter.release.ExistsPolicy#REPLACE}, which rolling channels use; assets are checked
 * against their digests while they are copied. {@link dev.cutter.release.DirectoryStore} is the
 * first store; HTTP and forge stores implement the same port.
 */
package dev.cutter.release;
