package dev.cutter.kinds.validate;

import dev.cutter.attest.check.ImageAttestations;
import dev.cutter.attest.check.SbomListing;
import dev.cutter.attest.check.StatementFacts;
import dev.cutter.content.Digest;
import dev.cutter.kinds.attest.Attestations;
import dev.cutter.kinds.image.ImageJobs;
import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunState;
import dev.cutter.oci.RegistryException;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import dev.cutter.plan.Planned;
import dev.cutter.plan.Publication;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.JobOutcome;
import dev.cutter.run.RunRecord;
import dev.cutter.run.jobs.JobFailures;
import dev.cutter.run.jobs.Registries;
import dev.cutter.run.jobs.SigningKeys;
import dev.cutter.sbom.Contents;
import dev.cutter.sbom.SbomFile;
import dev.cutter.sbom.SbomFormat;
import dev.cutter.sigstore.SignatureCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * {@code check: attestations}: what {@code attestations:} made, checked where it was published.
 * For every repository an attested image was pushed or replicated to, {@link ImageAttestations}
 * reads its referrers (SBOMs per platform, the index's signed provenance) and its layers, and, with
 * {@code signatures}, {@link SignatureCheck} the cosign signatures of the index and each platform manifest. The
 * provenance is then compared with the ledger's record of the run it names: a release of this
 * project that made the digest, from the plan and the commit the provenance gives. For the
 * release's archives and packages (when this run knows their files), the signed statement of
 * {@code NAME.intoto.jsonl} names each file by digest and each {@code FILE.cdx.json} and
 * {@code FILE.spdx.json} names exactly the files in it, and each file's Sigstore bundle (the
 * checksums file's too) is the release key's signature of it. Without the run in the ledger (another
 * machine released it) the registry is all there is: signatures, subjects and SBOMs against
 * layers are checked, and the detail says what could not be.
 */
final class AttestationChecks {
    private AttestationChecks() {}

    /**
     * The variable naming a public key file (PEM) to check provenance with instead of the public
     * half of {@code attestations.key}: what {@code cutter verify --key FILE} sets, for a machine
     * that does not hold the secret key.
     */
    static final String KEY_VARIABLE = "CUTTER_ATTESTATION_KEY";

    static JobOutcome check(JobContext context, Registries registries, Ledger ledger, Map<String, String> environment)
            throws Exception {
        Optional<PublicKey> given = Optional.ofNullable(environment.get(KEY_VARIABLE)).filter(f -> !f.isBlank()).map(f -> {
            Path file = context.projectDir().resolve(f);
            try {
                return dev.cutter.attest.check.PublicKeys.read(Files.readString(file));
            } catch (IOException | IllegalArgumentException e) {
                throw JobFailure.failed("the public key " + file + " (" + KEY_VARIABLE + ") cannot be read: " + e.getMessage());
            }
        });
        Plan plan = context.plan();
        List<Planned<Action.Attest>> attests = plan.jobs(Action.Attest.class).toList();
        if (attests.isEmpty()) {
            return JobOutcome.done("this release attests nothing (no attestations: section when it was planned)", List.of(), List.of());
        }
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, PublicKey> keys = new LinkedHashMap<>(); // by secret reference: each key read once
        int images = 0;
        int files = 0;
        List<String> keylessBy = new ArrayList<>(); // the identities keyless signatures were checked for
        int[] signed = {0, 0, 0}; // image manifests whose cosign signature, files whose Sigstore bundle, attestations whose OpenPGP signature was checked
        for (Planned<Action.Attest> attesting : attests) {
            Job job = attesting.job();
            Action.Attest attest = attesting.action();
            // keyless signatures carry a certificate, not the release key's signature: checked against the spec's trusted root and identity
            boolean keySigned = attest.signatures() && attest.keyless().isEmpty();
            Optional<PublicKey> releaseKey = !attest.provenance() && !keySigned ? Optional.empty() : given.isPresent() ? given
                    : Optional.of(keys.computeIfAbsent(attest.key().orElse(""), k -> publicKey(context, attest)));
            Optional<PublicKey> key = attest.provenance() ? releaseKey : Optional.empty();
            Optional<SignatureCheck.Trust> signatures = keySigned ? releaseKey.map(SignatureCheck.Trust.Key::new)
                    : attest.signatures() ? keyless(context, attest, notes) : Optional.empty();
            signatures.filter(t -> t instanceof SignatureCheck.Trust.Keyless).map(t -> ((SignatureCheck.Trust.Keyless) t).verifier()
                    .expected().toString()).filter(e -> !keylessBy.contains(e)).ifPresent(keylessBy::add);
            if (attest.subject().equals("image")) {
                for (String need : job.needs()) {
                    for (Publication publication : plan.publications()) {
                        Job published = plan.job(publication.job()).orElseThrow();
                        if (plan.lineage(published).stream().noneMatch(j -> j.id().equals(need))) {
                            continue;
                        }
                        Digest index = ImageJobs.Publish.indexBehind(context, published).digest();
                        var target = registries.target(context, publication.repository(), Action.publishingAccess(published.action()));
                        ImageAttestations.Findings found;
                        try {
                            found = ImageAttestations.check(target, new ImageAttestations.Expected(publication.repository(), index,
                                    listed(plan, need), attest.formats().stream().map(f -> SbomFormat.named(f).mediaType()).toList(), key));
                        } catch (RegistryException e) {
                            throw JobFailures.of("cannot check the attestations in " + publication.repository() + ": ", e);
                        } catch (IOException | IllegalArgumentException e) {
                            throw JobFailure.failed("cannot read the attestations in " + publication.repository() + "@" + index + ": "
                                    + e.getMessage());
                        }
                        problems.addAll(found.problems());
                        notes.addAll(found.notes());
                        if (signatures.isPresent()) {
                            SignatureCheck.Findings cosign;
                            try {
                                cosign = SignatureCheck.image(target, publication.repository(), index, signatures.get());
                            } catch (RegistryException e) {
                                throw JobFailures.of("cannot check the signatures in " + publication.repository() + ": ", e);
                            } catch (IOException | IllegalArgumentException e) {
                                throw JobFailure.failed("cannot read the signatures in " + publication.repository() + "@" + index
                                        + ": " + e.getMessage());
                            }
                            problems.addAll(cosign.problems());
                            signed[0] += cosign.manifests();
                        }
                        found.provenance().forEach(p -> ledgerProblems(context, ledger, p.facts(), index, p.where(), problems, notes));
                        images++;
                    }
                }
            } else {
                files += files(context, ledger, job, attest, key, problems, notes);
                if (signatures.isPresent()) {
                    signed[1] += bundles(context, job, signatures.get(), problems);
                }
                signed[2] += openPgp(context, job, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw JobFailure.failed(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " with the attestations: "
                    + String.join("; ", problems));
        }
        return JobOutcome.done("the attestations of " + images + " published images and " + files
                + " archives and packages are signed by the release key, name what was released and list what it holds"
                + (signed[0] + signed[1] == 0 ? "" : "; " + (signed[1] == 0 ? signed[0] + " image manifests' cosign signatures verify"
                        : signed[0] + " image manifests' cosign signatures and " + signed[1] + " files' Sigstore bundles verify")
                        + (keylessBy.isEmpty() ? " against it" : " (keyless, for " + String.join(", ", keylessBy) + ")"))
                + (signed[2] == 0 ? "" : "; " + signed[2] + " SBOMs' and statements' OpenPGP signatures verify")
                + (notes.isEmpty() ? "" : "; note: " + String.join("; ", notes.stream().distinct().toList())),
                List.of(), List.of());
    }

    /**
     * The Sigstore bundle beside each archive, package and checksums file the attest job signed
     * (the files of the jobs it needs, as this run's record holds them); none when the run does not
     * know them, which {@link #files} notes. Returns how many files it checked.
     */
    private static int bundles(JobContext context, Job job, SignatureCheck.Trust trust, List<String> problems) throws IOException {
        Path dir = context.projectDir();
        int checked = 0;
        List<Artifact> files = new ArrayList<>(context.artifacts().ofJobs(job.needs()).stream()
                .filter(a -> List.of("archive", "package", "checksums").contains(a.kind())).toList());
        files.addAll(attestationFiles(context, job)); // the SBOMs and the statement are signed as the files they describe
        for (Artifact signed : files) {
            Path file = dir.resolve(signed.path());
            if (!Files.isRegularFile(file)) {
                problems.add(signed.path() + " is gone from this machine: its Sigstore bundle cannot be checked");
                continue;
            }
            SignatureCheck.file(file, dir.relativize(file).toString(), trust).ifPresent(problems::add);
            checked++;
        }
        return checked;
    }

    /**
     * The OpenPGP signature ({@code FILE.asc}) of each SBOM and of the statement, where the spec
     * signs its archives or packages with OpenPGP: present and made by one of those keys. Returns
     * how many files it checked.
     */
    private static int openPgp(JobContext context, Job job, List<String> problems) throws IOException {
        List<Action.Sign> signers = Attestations.openPgpSigners(context.plan());
        if (signers.isEmpty()) {
            return 0;
        }
        List<byte[]> keys = new ArrayList<>();
        for (Action.Sign sign : signers) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            SigningKeys.read(context, sign.key(), sign.passphrase()).exportPublicKey(out);
            keys.add(out.toByteArray());
        }
        Path dir = context.projectDir();
        int checked = 0;
        for (Artifact attestation : attestationFiles(context, job)) {
            Path file = dir.resolve(attestation.path());
            Path signature = file.resolveSibling(file.getFileName() + ".asc");
            String shown = dir.relativize(signature).toString();
            if (!Files.isRegularFile(file)) {
                problems.add(dir.relativize(file) + " is gone from this machine: its OpenPGP signature cannot be checked");
                continue;
            }
            if (!Files.isRegularFile(signature)) {
                problems.add(shown + " is missing: " + file.getFileName() + " has no OpenPGP signature");
                continue;
            }
            byte[] sig = Files.readAllBytes(signature);
            boolean valid = false;
            for (byte[] key : keys) {
                try (InputStream in = Files.newInputStream(file)) {
                    valid |= dev.cutter.sign.OpenPgpVerifier.verifyDetached(new java.io.ByteArrayInputStream(key), in,
                            new java.io.ByteArrayInputStream(sig)).valid();
                } catch (IOException | RuntimeException e) {
                    // not a signature at all: as invalid as another key's
                }
            }
            if (!valid) {
                problems.add(shown + " is not a signature of " + file.getFileName() + " by the key the release signs its files with");
            }
            checked++;
        }
        return checked;
    }

    /**
     * Whom the keyless signatures of {@code attest} are checked against: the spec's trusted root,
     * identity and issuer. Without them the signatures are not checked, and a note says how to.
     */
    private static Optional<SignatureCheck.Trust> keyless(JobContext context, Action.Attest attest, List<String> notes) {
        Optional<Action.Attest.Trusted> trusted = attest.keyless().flatMap(Action.Attest.Keyless::trusted);
        if (trusted.isEmpty()) {
            notes.add("the keyless signatures are not checked: name trusted-root, identity and issuer under"
                    + " attestations.signatures.keyless (or verify them with cosign verify --certificate-identity …"
                    + " --certificate-oidc-issuer …)");
            return Optional.empty();
        }
        try {
            var identity = new dev.cutter.sigstore.KeylessVerifier.Identity(trusted.get().identity(), trusted.get().issuer());
            return Optional.of(new SignatureCheck.Trust.Keyless(dev.cutter.sigstore.KeylessVerifier.read(context.projectDir(),
                    trusted.get().trustedRoot(), identity)));
        } catch (IOException | IllegalArgumentException e) {
            throw JobFailure.failed("attestations.signatures.keyless.trusted-root cannot be read: " + e.getMessage() + "; write the"
                    + " Sigstore trusted root of the Fulcio and Rekor that sign (cosign's --trusted-root file) in the project");
        }
    }

    /** The SBOMs and the signed statement the attest job {@code job} wrote, as this run's record holds them. */
    static List<Artifact> attestationFiles(JobContext context, Job job) {
        return context.artifacts().ofJob(job.id()).stream().filter(a -> a.kind().equals("sbom")
                || a.kind().equals("provenance") && a.name().endsWith(".intoto.jsonl")).toList();
    }

    private static PublicKey publicKey(JobContext context, Action.Attest attest) {
        try {
            return SigningKeys.read(context, attest.key().orElseThrow(() -> JobFailure.failed(
                    "the provenance and signatures are checked against attestations.key, which the release does not name")), attest.passphrase())
                    .keyPair().getPublic();
        } catch (IOException e) {
            throw JobFailure.failed("cannot read attestations.key to check the provenance and signatures: " + e.getMessage());
        }
    }

    /**
     * What the release put in each platform's layers, by platform, from the image jobs of the
     * index {@code indexJob} ({@code image/<index id's rest>/<platform>}); none for an image this
     * plan does not assemble.
     */
    static Map<String, Predicate<String>> listed(Plan plan, String indexJob) {
        Map<String, Predicate<String>> out = new TreeMap<>();
        String prefix = "image/" + indexJob.substring(indexJob.indexOf('/') + 1) + "/";
        plan.jobs(Action.Image.class).filter(j -> j.id().startsWith(prefix) && j.id().indexOf('/', prefix.length()) < 0)
                .forEach(j -> out.put(j.action().platform(), Attestations.listed(j.action())));
        return out;
    }

    /**
     * The provenance against the ledger's record of the run it names: a release of this project
     * that made {@code subject} (the first record of a digest stays, so that run may have released
     * another version of the same bytes), from the plan and the commit the provenance gives. A run
     * this ledger does not hold is a note: only the registry could be read.
     */
    static void ledgerProblems(JobContext context, Ledger ledger, StatementFacts facts, Digest subject, String where,
            List<String> problems, List<String> notes) {
        Plan plan = context.plan();
        Optional<Run> run = ledger.run(facts.runId());
        if (run.isEmpty()) {
            notes.add("the provenance's run " + facts.runId() + " (of " + plan.project() + " " + facts.version() + ") is not in this"
                    + " ledger, so its plan digest, commit and outputs are not matched with a record");
            return;
        }
        Run made = run.get();
        String released = "run " + made.id() + ", a " + made.kind().name().toLowerCase() + " of " + made.project() + " " + made.version();
        if (!made.project().equals(plan.project()) || !made.kind().publishes()) {
            problems.add(where + ": its provenance was made by " + released + ", not by a release of " + plan.project());
            return;
        }
        if (made.state() != RunState.SUCCEEDED && made.state() != RunState.RUNNING) {
            problems.add(where + ": its provenance was made by " + released + ", which ended " + made.state().name().toLowerCase());
        }
        if (ledger.artifacts(made.id()).stream().noneMatch(a -> a.digest().equals(subject))) {
            problems.add(where + ": its provenance was made by " + released + ", which made no " + subject);
        }
        if (!facts.version().equals(made.version()) || !facts.tag().equals(made.tag())) {
            problems.add(where + ": its provenance says version " + facts.version() + " (tag " + facts.tag() + "); " + released
                    + " (tag " + made.tag() + ")");
        }
        if (!facts.planDigest().equals(made.planDigest())) {
            problems.add(where + ": its provenance's plan is " + facts.planDigest() + "; run " + made.id() + " executed the plan "
                    + made.planDigest());
        }
        Optional<String> commit = ledger.planJson(made.id()).flatMap(AttestationChecks::sha);
        if (!commit.equals(facts.commit())) {
            problems.add(where + ": its provenance's source commit is " + facts.commit().orElse("none") + "; run " + made.id()
                    + " released " + commit.orElse("no commit"));
        }
        if (!made.version().equals(plan.version())) {
            notes.add(where + " was first made by " + released + " (the first record of a digest stays)");
        }
    }

    /**
     * Whether the attest job {@code job} stands on a promotion's files: the statement is then the
     * candidate's, naming them as the candidate did, and they are matched by digest.
     */
    private static boolean promoted(JobContext context, Job job) {
        return job.needs().stream().anyMatch(id -> context.plan().job(id, Action.Fetch.class).isPresent());
    }

    private static Optional<String> sha(String recordJson) {
        try {
            return RunRecord.read(recordJson).plan().sha();
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The attestations of the release's archives and packages, from the files this run knows
     * (the ledger's record of the release): the statement's signature, its subjects against each
     * file's digest, and each SBOM against the file's entries.
     */
    private static int files(JobContext context, Ledger ledger, Job job, Action.Attest attest, Optional<PublicKey> key,
            List<String> problems, List<String> notes) throws IOException {
        List<Artifact> made = context.artifacts().ofJob(job.id());
        List<Artifact> subjects = context.artifacts().ofJobs(job.needs()).stream()
                .filter(a -> a.kind().equals("archive") || a.kind().equals("package")).toList();
        if (made.isEmpty() || subjects.isEmpty()) {
            notes.add("the archives' and packages' attestations, which only the release's record in a ledger locates");
            return 0;
        }
        Path dir = context.projectDir();
        for (Artifact subject : subjects) {
            Path file = dir.resolve(subject.path());
            String name = file.getFileName().toString();
            if (!Files.isRegularFile(file)) {
                problems.add(subject.path() + " is gone from this machine: its SBOMs cannot be compared with it");
                continue;
            }
            Map<String, String> held = new TreeMap<>();
            Contents contents = new Contents(p -> true);
            try {
                contents.artifact(file, subject.kind());
            } catch (IOException e) {
                problems.add(subject.path() + " cannot be read, so its SBOMs cannot be compared with it: " + e.getMessage());
                continue;
            }
            for (SbomFile f : contents.files()) {
                held.put(f.path(), f.sha256().hex());
            }
            for (String format : attest.formats()) {
                Path sbom = file.resolveSibling(name + SbomFormat.named(format).suffix());
                if (!Files.isRegularFile(sbom)) {
                    problems.add(dir.relativize(sbom) + " is missing: " + name + " has no " + format + " SBOM");
                    continue;
                }
                try {
                    SbomListing listing = SbomListing.read(Files.readAllBytes(sbom), SbomFormat.named(format).mediaType());
                    if (!listing.subject().equals(subject.digest().hex())) {
                        problems.add(dir.relativize(sbom) + " describes sha256:" + listing.subject() + ", not " + name + " ("
                                + subject.digest() + ")");
                    }
                    listing.differences(held).forEach(d -> problems.add(dir.relativize(sbom) + ": " + d.replace("the layers", name)));
                } catch (IllegalArgumentException e) {
                    problems.add(dir.relativize(sbom) + " is unreadable: " + e.getMessage());
                }
            }
        }
        if (key.isPresent()) {
            Optional<Artifact> statement = made.stream().filter(a -> a.name().endsWith(".intoto.jsonl")).findFirst();
            if (statement.isEmpty() || !Files.isRegularFile(dir.resolve(statement.get().path()))) {
                problems.add(attest.name() + ".intoto.jsonl is missing: the archives and packages have no provenance");
            } else {
                Path path = dir.resolve(statement.get().path());
                String where = dir.relativize(path).toString();
                String line = Files.readString(path, StandardCharsets.UTF_8).strip();
                ImageAttestations.provenance(line.getBytes(StandardCharsets.UTF_8), key.get(), where, problems).ifPresent(facts -> {
                    for (Artifact subject : subjects) {
                        String name = Path.of(subject.path().toString()).getFileName().toString();
                        if (!subject.digest().hex().equals(facts.subjects().get(name)) && !(promoted(context, job)
                                && facts.subjects().containsValue(subject.digest().hex()))) {
                            problems.add(where + ": its statement names " + name + " as sha256:" + facts.subjects().getOrDefault(name,
                                    "nothing") + ", not " + subject.digest());
                        }
                    }
                    ledgerProblems(context, ledger, facts, subjects.getFirst().digest(), where, problems, notes);
                });
            }
        }
        return subjects.size();
    }
}
