package dev.cutter.kinds.image;

import dev.cutter.oci.ImageReference;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryHost;
import dev.cutter.oci.Repository;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * About how many requests a plan makes of a registry that its rate limit counts: GETs and PUTs of
 * manifests (see {@code oci.RateLimits}). A base image is two GETs per platform image (its index,
 * then the platform's manifest); a push or a replica PUTs each platform's manifest, the index
 * and every tag; a replica GETs the index and each platform's manifest from its source, and a
 * promotion's fetch of a candidate GETs its index and each platform's manifest. Read-backs
 * and skips are HEADs, which are not counted. An estimate, high rather than low. A Dockerfile's
 * bases count as a {@code from:} base does: the builder pulls each of them for every platform it
 * builds, in storage of that build's own.
 */
final class RegistryDemand {
    private RegistryDemand() {}

    /** The counted requests {@code jobs} make of {@code host} (any of its names), an image's bases being its {@code from:}. */
    static long manifestRequests(List<Job> jobs, String host) {
        return manifestRequests(jobs, host, RegistryDemand::from);
    }

    /**
     * As above, the bases of each image job told by {@code bases} (a Dockerfile build's are those its
     * {@code FROM} lines name, which only reading the Dockerfile tells).
     */
    static long manifestRequests(List<Job> jobs, String host, Function<Action.Image, List<ImageReference>> bases) {
        RegistryHost registry = RegistryHost.of(host);
        Map<String, Job> byId = jobs.stream().collect(Collectors.toMap(Job::id, Function.identity(), (a, b) -> a));
        long requests = 0;
        for (Job job : jobs) {
            switch (job.action()) {
                case Action.Image image -> {
                    for (ImageReference base : bases.apply(image)) {
                        if (!base.layout() && on(registry, base.repository().host())) {
                            requests += 2;
                        }
                    }
                }
                case Action.Source source when !source.repository().startsWith("oci:") -> {
                    if (on(registry, Repository.parse(source.repository()).host())) {
                        requests += 1 + Math.max(1, source.labels().size()); // a candidate's index, then each platform's manifest
                    }
                }
                case Action.Push push when !push.repository().startsWith("oci:") -> {
                    if (on(registry, Repository.parse(push.repository()).host())) {
                        requests += platforms(job, byId) + 1 + push.tags().size() + push.floating().size();
                    }
                }
                case Action.Replicate replica -> {
                    if (!replica.repository().startsWith("oci:") && on(registry, Repository.parse(replica.repository()).host())) {
                        requests += platforms(job, byId) + 1 + replica.tags().size() + replica.floating().size();
                    }
                    if (!replica.source().startsWith("oci:") && on(registry, Repository.parse(replica.source()).host())) {
                        requests += platforms(job, byId) + 1;
                    }
                }
                default -> { }
            }
        }
        return requests;
    }

    /** An image's {@code from:} base, as a reference; none for {@code scratch}, a layout or a Dockerfile build. */
    static List<ImageReference> from(Action.Image image) {
        if (image.build().isPresent() || image.from() == null || image.from().isBlank() || image.from().equals("scratch")
                || image.from().startsWith("oci:")) {
            return List.of();
        }
        try {
            return List.of(ImageReference.parse(image.from()));
        } catch (IllegalArgumentException e) {
            return List.of(); // the image job tells a reference that is not one
        }
    }

    private static boolean on(RegistryHost registry, String host) {
        return RegistryHost.of(host).equals(registry);
    }

    /** The platforms of the index the job publishes: of the first index among what it needs, near to far; one without. */
    private static int platforms(Job job, Map<String, Job> byId) {
        Deque<String> next = new ArrayDeque<>(job.needs());
        Set<String> seen = new HashSet<>();
        while (!next.isEmpty()) {
            Job needed = byId.get(next.poll());
            if (needed == null || !seen.add(needed.id())) {
                continue;
            }
            if (needed.action() instanceof Action.Index index) {
                return Math.max(1, index.platforms().size());
            }
            if (needed.action() instanceof Action.Source source) { // a promotion's fetched index: its images by platform
                return Math.max(1, source.labels().size());
            }
            next.addAll(needed.needs());
        }
        return 1;
    }
}
