/**
 * Checks of what {@code attestations:} attached, read back from where it was published: an
 * image's referrers (found through the referrers API or the {@code sha256-<hex>} fallback tag)
 * hold its SBOMs and its signed provenance; the envelope verifies against the release key; the
 * statement names the image's digests; each SBOM names exactly the files the layers hold. What
 * only a ledger knows (which run made it, from which plan and commit) is the caller's to compare,
 * from the {@link dev.cutter.attest.check.StatementFacts} these checks return.
 */
package dev.cutter.attest.check;
