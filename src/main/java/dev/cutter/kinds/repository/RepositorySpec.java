package dev.cutter.kinds.repository;

import dev.cutter.spec.Entry;
import dev.cutter.spec.Location;
import dev.cutter.spec.Template;
import java.util.List;
import java.util.Optional;

/**
 * A signed apt or yum repository fed with packages and published to a target ({@code repositories:});
 * {@code url} is where clients read it (its web address), which the install checks read through.
 */
public record RepositorySpec(String id, String type, List<String> packages, Template publish,
        Optional<Template> dist, Optional<Template> component, Optional<Template> signKey,
        Optional<Template> signPassphrase, int keep, boolean byHash, boolean contents, List<String> compression,
        Optional<SshSpec> ssh, Optional<Template> url, Location location) implements Entry {}
