/**
 * yum/dnf repositories in a local directory: {@link dev.cutter.repo.yum.YumRepository} indexes
 * .rpm files (incrementally), publishes createrepo_c-compatible {@code repodata/} atomically and
 * signed, applies retention, and verifies what was published. The index of what was read from the
 * packages and the metadata are read and written a package at a time, so memory does not grow
 * with the repository (see {@link dev.cutter.repo.yum.YumRepository}).
 */
package dev.cutter.repo.yum;
