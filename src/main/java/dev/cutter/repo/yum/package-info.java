/**
 * yum/dnf repositories in a local directory: {@link dev.cutter.repo.yum.YumRepository} indexes
 * .rpm files (incrementally), publishes createrepo_c-compatible {@code repodata/} atomically and
 * signed, applies retention, and verifies what was published.
 */
package dev.cutter.repo.yum;
