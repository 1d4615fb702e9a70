package dev.cutter.kinds;

import dev.cutter.kinds.archive.Archives;
import dev.cutter.kinds.attest.Attestations;
import dev.cutter.kinds.barrier.Barriers;
import dev.cutter.kinds.build.Builds;
import dev.cutter.kinds.checksums.Checksums;
import dev.cutter.kinds.image.Images;
import dev.cutter.kinds.notify.Notifications;
import dev.cutter.kinds.packages.Packages;
import dev.cutter.kinds.pin.Pins;
import dev.cutter.kinds.promotion.Promotion;
import dev.cutter.kinds.release.Releases;
import dev.cutter.kinds.repository.Repositories;
import dev.cutter.kinds.requires.Requires;
import dev.cutter.kinds.sign.Signs;
import dev.cutter.kinds.validate.Validations;
import dev.cutter.plan.Kind;
import dev.cutter.plan.PlanText;
import dev.cutter.plan.Planner;
import dev.cutter.run.JobHandler;
import dev.cutter.run.jobs.JobServices;
import dev.cutter.spec.Section;
import dev.cutter.spec.SpecLoader;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every capability, in the order a release plans them: the one list the loader, the planner, the
 * plan's text and the engine's handlers are made from. Adding a capability is a package under
 * {@code dev.cutter.kinds} and a line here (see {@code docs/architecture.md}).
 */
public final class Capabilities {
    private Capabilities() {}

    public static final List<Capability> ALL = List.of(
            Requires.CAPABILITY,      // upstream releases the pins name, waited for before the first job (requires: … wait:)
            Pins.CAPABILITY,          // values pinned in files of the checkout; a component's module tag, never moved
            Builds.CAPABILITY,        // run: commands; outputs hashed; cached by declared inputs
            Images.CAPABILITY,        // images per platform, their index, push with the tag laws, replicas
            Archives.CAPABILITY,      // reproducible tar.gz / tar.zst / zip from globs
            Packages.CAPABILITY,      // .deb / .rpm from build outputs and metadata
            Checksums.CAPABILITY,     // SHA256SUMS over archives and packages
            Signs.CAPABILITY,         // detached OpenPGP signatures, reproducible
            Attestations.CAPABILITY,  // SBOMs and signed provenance: image referrers before each push, files beside archives
            Repositories.CAPABILITY,  // signed apt / yum repositories, published atomically
            Releases.CAPABILITY,      // assets into a release store, never half
            Validations.CAPABILITY,   // checks after publication; they gate promotion
            Notifications.CAPABILITY, // webhooks with the outcome, whatever it was
            Barriers.CAPABILITY,      // every target read once all is made, before the first publication (planned last, runs first)
            Promotion.CAPABILITY);    // a candidate's files taken as published (a promotion's, not a section's)

    /** Every section of {@code cutter.yaml} beyond the core, in order. */
    public static List<Section<?>> sections() {
        return ALL.stream().flatMap(c -> c.sections().stream()).toList();
    }

    /**
     * A loader of specs with every capability's section; a matrix's {@code generate:} command sees
     * only a default {@code PATH} of the environment.
     */
    public static SpecLoader specLoader() {
        return specLoader(Map.of());
    }

    /** A loader of specs with every capability's section, whose {@code generate:} commands see the base of {@code environment}. */
    public static SpecLoader specLoader(Map<String, String> environment) {
        return new SpecLoader(sections(), new GenerateCommands(dev.cutter.process.ProcessRunner.local(), environment,
                java.time.Duration.ofMinutes(30)));
    }

    /** A planner with every capability's step. */
    public static Planner planner() {
        return new Planner(ALL.stream().flatMap(c -> c.steps().stream()).toList());
    }

    /** The plan's text, a line per kind from its capability. */
    public static PlanText planText() {
        return new PlanText(ALL.stream().flatMap(c -> c.texts().stream()).toList());
    }

    /** The handler of every kind, by kind, made for one run from its shared services. */
    public static Map<String, JobHandler> handlers(JobServices services) {
        Map<String, JobHandler> handlers = new LinkedHashMap<>();
        for (Capability capability : ALL) {
            for (JobHandler.Typed<?> handler : capability.handlers().apply(services)) {
                String kind = Kind.of(handler.type()).id();
                if (handlers.put(kind, handler) != null) {
                    throw new IllegalStateException("two handlers of kind '" + kind + "'");
                }
            }
        }
        return Collections.unmodifiableMap(handlers);
    }
}
