package dev.cutter.kinds.image;

import dev.cutter.spec.Location;
import dev.cutter.spec.Spec.RepositoryRef;
import java.util.List;

/** Copies of an image's publications to further repositories, digest for digest ({@code replicate:}). */
public record ReplicateSpec(String image, List<RepositoryRef> to, int concurrency, Location location) {}
