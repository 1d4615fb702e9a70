package dev.cutter.plan;

import java.util.List;
import java.util.Map;

/**
 * One multi-arch image (one index) published to one repository under its tags: the unit a
 * user checks ("did 1.7.8 reach every registry?"). {@code kind} is {@code push} for the
 * repository the image is first pushed to, {@code replica} for copies of it, whose
 * {@code source} is the pushed repository. {@code floating} is the subset of {@code tags} that
 * moves only forward, each competing within its {@code lines} entry ({@code all}, {@code major},
 * {@code minor}); whether it moves is decided at execution against the repository's tags.
 * {@code rolling} tags move with every release. The remaining tags are immutable.
 */
public record Publication(String image, Map<String, String> matrix, String kind, String registry, String repository,
        String source, List<String> platforms, List<String> tags, List<String> floating, Map<String, String> lines,
        List<String> rolling, String job) {}
