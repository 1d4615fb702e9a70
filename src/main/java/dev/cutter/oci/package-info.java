/**
 * Container images without a daemon: reproducible file layers, image configs, manifests and
 * multi-platform indexes, written as content-addressed blobs, and the OCI image layout directory
 * that holds them under tags (the embedded default target, readable by skopeo and umoci).
 *
 * <p>Everything is a value known by its digest (law 2): building the same files with the same
 * config gives the same bytes, hence the same digests, on any machine. Files are written to a
 * temporary name and renamed once complete, so a killed process never leaves a blob under a
 * wrong digest nor a half-written {@code index.json}.
 */
package dev.cutter.oci;
