package dev.cutter.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every kind of job, in the order a release runs them, each with its action and its traits: the
 * one list of kinds (as GoReleaser's {@code pipeline.go}). Nothing elsewhere keeps a set of kind
 * names; it asks the kind.
 */
public enum Kind {
    REQUIRE("require", Action.Require.class, Traits.NONE),                         // an upstream release the pins name, waited for before the first job
    BUILD("build", Action.Build.class, Traits.PRODUCES.andSelectable()),            // run: commands; outputs hashed; cached by declared inputs
    IMAGE("image", Action.Image.class, Traits.PRODUCES.andSelectable()),            // one platform: file layers + config + manifest, no daemon; or a Dockerfile build
    INDEX("index", Action.Index.class, Traits.PRODUCES),                         // the multi-arch index over the platforms
    SOURCE("source", Action.Source.class, Traits.NONE.andPromoted()),               // a promotion: the candidate's index fetched, not rebuilt
    FETCH("fetch", Action.Fetch.class, Traits.NONE.andPromoted()),                  // a promotion: the candidate's archive or package as published
    BARRIER("barrier", Action.Barrier.class, Traits.NONE.andPromoted().andNetwork().andGate()), // every target read once all is made; any conflict refuses all
    PUSH("push", Action.Push.class, Traits.PUBLISHES.andPromoted()),                // index and blobs into the target; tag laws applied
    REPLICATE("replicate", Action.Replicate.class, Traits.PUBLISHES.andPromoted()), // the same, digest for digest, into each replica
    ARCHIVE("archive", Action.Archive.class, Traits.PRODUCES.andSelectable()),      // reproducible tar.gz / tar.zst / zip from globs
    CHECKSUMS("checksums", Action.Checksums.class, Traits.PRODUCES.andPromoted()),  // SHA256SUMS over archives and packages
    SIGN("sign", Action.Sign.class, Traits.PRODUCES.andPromoted()),                 // detached OpenPGP signatures, reproducible
    PACKAGE("package", Action.Package.class, Traits.PRODUCES.andSelectable()),      // .deb / .rpm from build outputs and metadata
    ATTEST("attest", Action.Attest.class, Traits.PRODUCES.andPromoted()),         // SBOMs and signed provenance: image referrers, or files beside archives; a promotion's carries the candidate's
    REPOSITORY("repository", Action.Repository.class, Traits.PUBLISHES.andPromoted().andSelectable()), // signed apt / yum repository, atomic
    RELEASE("release", Action.Release.class, Traits.PUBLISHES.andPromoted().andSelectable()),          // assets into a release store, never half
    PIN("pin", Action.Pin.class, Traits.NONE),                                   // a value set in place in a file of the checkout
    TAG("tag", Action.Tag.class, Traits.NONE.andPublished()),                       // pins committed, module tag pushed (never moved)
    VALIDATE("validate", Action.Validate.class, Traits.NONE.andPromoted().andSelectable()), // checks after publication; they gate promotion
    NOTIFY("notify", Action.Notify.class, Traits.NONE.andPromoted().andNetwork().andNotification()); // webhooks with the outcome, whatever it was

    /**
     * What a kind of job is, beyond its action.
     *
     * @param produces     makes files or images without publishing them (what a pull request runs)
     * @param published    puts something where others see it (what a check waits for)
     * @param promoted     kept by a promotion, which publishes a candidate's bytes without rebuilding
     * @param network      talks to another machine, so it is retried by default
     * @param notification runs whatever happened before it, and its failure does not fail the release
     * @param selectable   a spec section of this name may be narrowed with {@code --only KIND=ID}
     * @param gate         holds back the jobs that need it until it passes, and hands them nothing:
     *                     what it needs is no input of theirs (see {@link Plan#inputs})
     */
    public record Traits(boolean produces, boolean published, boolean promoted, boolean network, boolean notification,
            boolean selectable, boolean gate) {
        static final Traits NONE = new Traits(false, false, false, false, false, false, false);
        static final Traits PRODUCES = new Traits(true, false, false, false, false, false, false);
        /** Publishing talks to a target: a registry, a store, a repository server. */
        static final Traits PUBLISHES = new Traits(false, true, false, true, false, false, false);

        Traits andPromoted() {
            return new Traits(produces, published, true, network, notification, selectable, gate);
        }

        Traits andPublished() {
            return new Traits(produces, true, promoted, network, notification, selectable, gate);
        }

        Traits andNetwork() {
            return new Traits(produces, published, promoted, true, notification, selectable, gate);
        }

        Traits andNotification() {
            return new Traits(produces, published, promoted, network, true, selectable, gate);
        }

        Traits andGate() {
            return new Traits(produces, published, promoted, network, notification, selectable, true);
        }

        Traits andSelectable() {
            return new Traits(produces, published, promoted, network, notification, true, gate);
        }
    }

    private final String id;
    private final Class<? extends Action> action;
    private final Traits traits;

    Kind(String id, Class<? extends Action> action, Traits traits) {
        this.id = id;
        this.action = action;
        this.traits = traits;
    }

    /** The name in the plan's JSON, job ids and {@code --only}: {@code build}, {@code push}… */
    public String id() {
        return id;
    }

    public Class<? extends Action> action() {
        return action;
    }

    public Traits traits() {
        return traits;
    }

    public static Optional<Kind> named(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    /** The kind of {@code job}; every job of a plan has one of these. */
    public static Kind of(Job job) {
        return named(job.kind()).orElseThrow(() -> new PlanException("a job of unknown kind '" + job.kind() + "'"));
    }

    /**
     * The traits of {@code job}'s kind; a kind outside the list (a job no handler runs, which the
     * scheduler fails by name) has none.
     */
    public static Traits traitsOf(Job job) {
        return named(job.kind()).map(Kind::traits).orElse(Traits.NONE);
    }

    /** The kind whose action {@code action} is. */
    public static Kind of(Action action) {
        return of(action.getClass());
    }

    /** The kind whose action has the class {@code type}. */
    public static Kind of(Class<? extends Action> type) {
        return Arrays.stream(values()).filter(k -> k.action == type).findFirst()
                .orElseThrow(() -> new IllegalStateException(type.getSimpleName() + " is in no kind of the list"));
    }

    /** The kinds whose spec sections {@code --only KIND=ID} narrows, in this list's order. */
    public static List<String> selectable() {
        return Arrays.stream(values()).filter(k -> k.traits.selectable()).map(Kind::id).toList();
    }
}
