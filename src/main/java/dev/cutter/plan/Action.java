package dev.cutter.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a job does, by kind. Fields are rendered; secret references stay as written. */
public sealed interface Action {
    /** The kind of job that carries this action (see {@link Kind}, the one list of kinds). */
    default Kind jobKind() {
        return Kind.of(this);
    }

    /**
     * This action as a build that publishes nothing runs it ({@link Plan#buildOnly}: a pull
     * request, a rebuild): itself, unless part of it leaves a mark outside the machine.
     */
    default Action buildingOnly() {
        return this;
    }

    /** How the registry an image publication ({@link Push}, {@link Replicate}) goes to is reached; empty for any other action. */
    static Optional<Access> publishingAccess(Action action) {
        return switch (action) {
            case Push p -> Optional.of(p.access());
            case Replicate r -> Optional.of(r.access());
            default -> Optional.empty();
        };
    }

    /**
     * A release of another project this one depends on, which must be out before the release's
     * first job: a tag on a git remote ({@code source} {@code git}, {@code from} its URL), a forge
     * release ({@code release}, {@code from} the store, e.g. {@code github:OWNER/REPO}) or an image
     * tag in a registry ({@code image}, {@code from} the repository, with {@code access}), waited
     * for up to {@code waitSeconds} (0: looked at once).
     */
    record Require(String source, String from, String tag, long waitSeconds, Optional<String> token, Optional<Access> access)
            implements Action {}

    /** A shell command run in {@code dir} ("project" or "clean") producing {@code outputs}. */
    record Build(String command, Map<String, String> env, String dir, List<String> inputs, List<String> outputs,
            Optional<Long> timeoutSeconds, int retries,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
            List<String> inheritEnv) implements Action {
        public Build {
            inheritEnv = inheritEnv == null ? List.of() : List.copyOf(inheritEnv);
        }

        public Build(String command, Map<String, String> env, String dir, List<String> inputs, List<String> outputs,
                Optional<Long> timeoutSeconds, int retries) {
            this(command, env, dir, inputs, outputs, timeoutSeconds, retries, List.of());
        }
    }

    /**
     * One platform's image: base + file layers ({@code layers} in order, then {@code files}) +
     * config; or, with {@code build}, what an external builder makes of a Dockerfile. The base
     * ({@code from}) is pulled as {@code baseAccess} says when the spec has an entry for its
     * registry (credentials, transport, budget), else with the user's logins.
     */
    record Image(String platform, String from, Optional<DockerBuild> build, Map<String, String> files,
            List<String> entrypoint, List<String> cmd, Map<String, String> env, Optional<String> workdir,
            Optional<String> user, Map<String, String> labels, String compression,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
            List<Map<String, String>> layers,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_ABSENT)
            Optional<Access> baseAccess) implements Action {
        public Image {
            layers = layers == null ? List.of() : List.copyOf(layers);
            baseAccess = baseAccess == null ? Optional.empty() : baseAccess;
        }
    }

    /**
     * A Dockerfile build of one platform: the Dockerfile and context directory (project paths),
     * the stage, the build args, and which builder ({@code auto}, {@code buildah}, {@code docker}).
     * {@code registries} are the spec's registries by address ({@code host[/path]}): the bases its
     * {@code FROM} lines name are known once the Dockerfile is read, and each is pulled as the entry
     * whose address is the longest prefix of its repository says (the first of equals, in the
     * spec's order), like a {@code from:} base.
     */
    record DockerBuild(String dockerfile, String context, Optional<String> target, Map<String, String> args, String builder,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
            Map<String, Access> registries) {
        public DockerBuild {
            registries = registries == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(registries));
        }
    }

    /**
     * An index already released (a release candidate's), fetched by what its tag points at into
     * this run, in place of building one: promotion publishes those digests, never a rebuild.
     * {@code labels} are those its images were built with, by platform: what the images check
     * expects of them. Without {@code blobs} only the index and its manifests are fetched (a
     * verification reads what was published; a promotion needs every blob to push).
     */
    record Source(String repository, String tag, Access access, Map<String, Map<String, String>> labels, boolean blobs)
            implements Action {}

    /**
     * A file a release candidate made (an archive, a package), taken as it was published instead
     * of made again: promotion publishes those bytes (law 5). It is read from the first of
     * {@code from} that holds it with {@code digest} and written as {@code name}; {@code made} is
     * what the candidate's job made it from, which later jobs and checks read as if it were theirs.
     */
    record Fetch(String kind, String name, String digest, long size, List<Origin> from, Action made) implements Action {}

    /**
     * Where a candidate's file can be read: {@code file} (a path in the project, where the
     * candidate's run wrote it), {@code release} (asset {@code name} of release {@code release} in
     * store {@code target}) or {@code repository} (package file {@code name} in the repository
     * published at {@code target}, of type {@code release}: apt or yum).
     */
    record Origin(String kind, String target, String release, String name) {}

    /** The multi-arch index over the platform images. */
    record Index(List<String> platforms, Map<String, String> annotations) implements Action {}

    /**
     * How to reach a registry: credentials as secret references (resolved when the job runs; else
     * Docker's config.json and credential helpers), whether plain HTTP is allowed, and the
     * registry's request budget ({@code REQUESTS/PERIOD}) when one is declared.
     */
    record Access(String auth, Optional<String> username, Optional<String> password, boolean insecure, long chunk,
            Optional<String> ratelimit) {
        public Access(String auth, Optional<String> username, Optional<String> password, boolean insecure, long chunk) {
            this(auth, username, password, insecure, chunk, Optional.empty());
        }
    }

    /**
     * The barrier between making and publishing: once everything is made, every target of
     * {@code publications} (the publishing jobs) is read, and any conflict refuses the whole run
     * before the first of them publishes anything.
     */
    record Barrier(List<String> publications) implements Action {}

    /** Pushes the index and its images to {@code repository} under {@code tags}. */
    record Push(String registry, String repository, List<String> tags, List<String> floating,
            Map<String, String> lines, List<String> rolling, Access access) implements Action {}

    /** Copies a published index, digest for digest, from {@code source} to {@code repository}. */
    record Replicate(String registry, String source, String repository, List<String> tags, List<String> floating,
            Map<String, String> lines, List<String> rolling, Access access) implements Action {}

    record ArchiveFile(String src, Optional<String> dst, Optional<String> mode) {}

    record Archive(String format, String name, List<ArchiveFile> files, Optional<Integer> installOrder)
            implements Action {}

    /** A checksums file over the named artifacts of the jobs it needs. */
    record Checksums(String name, String algorithm) implements Action {}

    /**
     * SBOMs ({@code formats}: cyclonedx, spdx) and, with {@code provenance}, SLSA provenance signed
     * with {@code key} (secret references, resolved when the job runs) for what the jobs it needs
     * made: with {@code subject} {@code image}, an image's platforms and index, attached in the
     * content store as OCI referrers that its pushes carry along; with {@code files}, the archives
     * and packages, written beside them. {@code name} names the subject (the push repository, or
     * the release); {@code spec} is the spec file, relative to the project, whose digest the
     * provenance records with {@code vars}, the release's resolved vars. With {@code signatures},
     * the key also signs: the image's index in cosign's format, each file with a Sigstore bundle.
     * With {@code keyless}, each file is signed keyless instead (an ephemeral key, a Fulcio
     * certificate for the CI's identity, a Rekor entry).
     */
    record Attest(String subject, String name, List<String> formats, boolean provenance, boolean signatures, Optional<String> key,
            Optional<String> passphrase, String spec, Map<String, String> vars, Optional<Keyless> keyless) implements Action {
        /**
         * Keyless signing's services and where its identity token is: {@code identityToken} names an
         * environment variable, read when the job runs; empty: {@code SIGSTORE_ID_TOKEN}, else
         * GitHub Actions' token endpoint.
         */
        public record Keyless(String fulcio, String rekor, Optional<String> identityToken, Optional<Trusted> trusted) {
            public Keyless(String fulcio, String rekor, Optional<String> identityToken) {
                this(fulcio, rekor, identityToken, Optional.empty());
            }
        }

        /**
         * Whom a check accepts keyless signatures of: the Sigstore trusted root file (relative to
         * the project), the identity rendered for this release, and the OIDC issuer.
         */
        public record Trusted(String trustedRoot, String identity, String issuer) {}

        /**
         * Without keyless signing: it writes an entry into a public transparency log and needs the
         * CI's identity token, so it is the release's, made once. A key's signatures stay, being
         * made again byte for byte.
         */
        @Override
        public Attest buildingOnly() {
            return keyless.isEmpty() ? this
                    : new Attest(subject, name, formats, provenance, signatures && key.isPresent(), key, passphrase, spec, vars, Optional.empty());
        }
    }

    /** {@code key} and {@code passphrase} are secret references, resolved only when the job runs. */
    record Sign(String artifacts, String mode, String key, Optional<String> passphrase) implements Action {}

    /** {@code key} and {@code passphrase} (rpm header signatures) are secret references, resolved when the job runs. */
    record Package(String format, String name, String version, String architecture, String description,
            Optional<String> maintainer, Optional<String> homepage, Optional<String> license,
            Optional<String> section, Map<String, List<String>> relations, Map<String, String> files,
            Map<String, String> configFiles, Map<String, String> scripts, String file, Optional<String> key,
            Optional<String> passphrase) implements Action {}

    /**
     * An apt or yum repository the packages are added to, published at {@code publish}; {@code key}
     * and {@code passphrase} are secret references, resolved only when the job runs; {@code url},
     * when declared, is where clients read it (its web address).
     */
    record Repository(String type, String publish, Optional<String> dist, Optional<String> component,
            List<String> packages, int keep, boolean byHash, boolean contents, List<String> compression,
            Optional<String> key, Optional<String> passphrase, Optional<Ssh> ssh, Optional<String> url) implements Action {}

    /** How an sftp:// publication logs in; {@code key} and {@code passphrase} are secret references. */
    record Ssh(Optional<String> key, Optional<String> passphrase, Optional<String> hostKey, Optional<String> knownHosts) {}

    /**
     * {@code token} is a secret reference, resolved only when the job runs; {@code target} what a
     * forge makes the release's tag from when it has no such tag (empty: the release's commit when
     * the store is the source repository, else the store's default branch); {@code remote} the
     * checkout's remote the spec's {@code git:} names, the source repository a forge store is
     * compared with to decide that (empty: {@code origin}).
     */
    record Release(String name, String store, List<String> assets, String exists, boolean draft, boolean prerelease,
            Optional<String> notes, Optional<String> token, Optional<String> target, Optional<String> remote) implements Action {
        public Release {
            remote = remote == null ? Optional.empty() : remote;
        }

        public Release(String name, String store, List<String> assets, String exists, boolean draft, boolean prerelease,
                Optional<String> notes, Optional<String> token) {
            this(name, store, assets, exists, draft, prerelease, notes, token, Optional.empty(), Optional.empty());
        }
    }

    /**
     * {@code digestOf}: the value is the digest this image's tag has where it is published, read when the job runs.
     * {@code existing}: the value is a tag of an image of the spec that this release does not push, so it must
     * already be there (asked before the release starts).
     */
    record Pin(String file, String kind, String target, Optional<String> replace, String value, boolean revertAfter,
            Optional<Published> digestOf, Optional<Published> existing) implements Action {
        public Pin(String file, String kind, String target, Optional<String> replace, String value, boolean revertAfter,
                Optional<Published> digestOf) {
            this(file, kind, target, replace, value, revertAfter, digestOf, Optional.empty());
        }
    }

    /** A published image tag: where to read its digest, and how to log in there. */
    record Published(String repository, String tag, Access access) {}

    /**
     * An annotated git tag that must never move once pushed: a component's module tag on its pins'
     * commit, or (with {@code commit}) a promoted version's tag on its candidate's commit, whose
     * annotation names the candidate ({@code promotedFrom}).
     */
    record Tag(String tag, String component, Optional<String> commit, Optional<String> promotedFrom,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
            List<AfterPin> afterPins, Optional<GitRoute> route) implements Action {
        public Tag {
            afterPins = afterPins == null ? List.of() : List.copyOf(afterPins);
            route = route == null ? Optional.empty() : route;
        }

        public Tag(String tag, String component, Optional<String> commit, Optional<String> promotedFrom, List<AfterPin> afterPins) {
            this(tag, component, commit, promotedFrom, afterPins, Optional.empty());
        }

        public Tag(String tag, String component, Optional<String> commit, Optional<String> promotedFrom) {
            this(tag, component, commit, promotedFrom, List.of());
        }

        /** A component's module tag. */
        public Tag(String tag, String component) {
            this(tag, component, Optional.empty(), Optional.empty());
        }
    }

    /**
     * How pin commits reach the branch and where tags go (the spec's {@code git:}): {@code via}
     * {@code push} sends them to {@code branch} of {@code remote}; {@code pull-request} sends them to a
     * branch of their own and opens a pull (merge) request on {@code forge}, which Cutter merges when
     * {@code merge} is {@code auto} and its checks passed, or waits for, polling every
     * {@code pollSeconds} for at most {@code waitSeconds}. An absent route is {@code origin}, the
     * checkout's branch, {@code push}.
     *
     * @param branch the branch pins go to; empty: the checkout's
     * @param token a secret reference ({@code ${env:NAME}}) for the forge's API; empty: the forge's usual variable
     */
    record GitRoute(String remote, Optional<String> branch, String via, Optional<String> forge, Optional<String> token, String merge,
            long waitSeconds, long pollSeconds) {
        public static final String PUSH = "push";
        public static final String PULL_REQUEST = "pull-request";

        /** Where a spec without {@code git:} sends its pins. */
        public static GitRoute standard() {
            return new GitRoute("origin", Optional.empty(), PUSH, Optional.empty(), Optional.empty(), "auto", 3600, 10);
        }

        public boolean pullRequest() {
            return via.equals(PULL_REQUEST);
        }

        /** This route with {@code remote} as the remote. */
        public GitRoute to(String remote) {
            return new GitRoute(remote, branch, via, forge, token, merge, waitSeconds, pollSeconds);
        }
    }

    /** A command run in {@code dir} once a component's pins are set, its changes in the pins' commit. */
    record AfterPin(String run, Map<String, String> env, String dir, List<String> inheritEnv) {}

    /**
     * A check after publication. With {@code image}, a {@code run} check gets the published image's
     * filesystem unpacked ({@code platform}, else this machine's, else the first).
     */
    record Validate(String check, Optional<String> run, Optional<String> image, Optional<String> platform, Map<String, String> env,
            Optional<Long> timeoutSeconds,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
            List<String> inheritEnv) implements Action {
        public Validate {
            inheritEnv = inheritEnv == null ? List.of() : List.copyOf(inheritEnv);
        }

        public Validate(String check, Optional<String> run, Optional<String> image, Optional<String> platform,
                Map<String, String> env, Optional<Long> timeoutSeconds) {
            this(check, run, image, platform, env, timeoutSeconds, List.of());
        }
    }

    record Notify(String url, String format, List<String> on) implements Action {}
}
