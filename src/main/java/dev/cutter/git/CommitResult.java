package dev.cutter.git;

/**
 * What {@link GitRepository#commit} did: {@code created} is true when a new commit was made, false
 * when the files already matched HEAD (nothing committed; {@code commit} is then HEAD), which is
 * what a resumed or repeated run sees.
 */
public record CommitResult(String commit, boolean created) {}
