/**
 * Signatures in Sigstore's formats, made with the release key so that verifiers other than
 * Cutter accept them: cosign's key-based image signatures (a simple-signing payload in an OCI
 * manifest tagged {@code sha256-<hex>.sig}, also listed as an OCI 1.1 referrer), Sigstore bundles
 * (v0.3, a message signature with public-key verification material) for files, and keyless
 * signing: an ephemeral key certified by Fulcio for the CI's OIDC identity, each signature
 * recorded in Rekor, the bundle carrying the certificate and the log entry. Each key-based format
 * has its verifier here too, for {@code cutter verify} and checks.
 */
package dev.cutter.sigstore;
