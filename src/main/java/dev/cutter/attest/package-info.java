/**
 * Provenance: in-toto Statements v1 carrying SLSA provenance v1, in DSSE envelopes signed with
 * the release key, so that verifiers other than Cutter (in-toto, cosign, openssl over the
 * pre-authentication encoding) accept them. Pure values and signatures; no I/O.
 */
package dev.cutter.attest;
