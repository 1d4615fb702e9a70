package dev.cutter.repo.yum;

import java.util.List;

/**
 * What {@link YumRepository#publish} did.
 *
 * @param revision repomd.xml's revision
 * @param generation how many times this repository has been published, this time included
 * @param packages how many packages the metadata lists
 * @param retired the packages dropped by the {@code keep} rule in this publication, as
 *     {@code name-[epoch:]version-release.arch} (their files go one publication later, so clients
 *     with the previous metadata can still fetch them)
 * @param metadata the repodata files repomd.xml now points at, relative to the root
 */
public record YumPublication(long revision, long generation, int packages, List<String> retired,
        List<String> metadata) {
    public YumPublication {
        retired = List.copyOf(retired);
        metadata = List.copyOf(metadata);
    }
}
