package dev.cutter.cli;

import dev.cutter.app.Services;
import dev.cutter.ledger.JobState;
import dev.cutter.run.JobResult;
import dev.cutter.run.Outcome;
import dev.cutter.run.RunOptions;
import dev.cutter.spec.Spec;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cutter verify}: a released version's checks run again against its targets as they are now. */
@Command(footer = {"%nExamples:", "  cutter verify --version 1.7.8", "  cutter verify --tag v1.7.8 --json"},
        name = "verify",
        description = "Check a released version against its targets now: every tag in every replica at the released digest,"
                + " the declared platforms and labels, the release assets, the repositories; recorded in the ledger, gates promotion.")
final class VerifyCommand extends ProjectCommand {
    @Mixin
    ReleaseOptions release;

    @Mixin
    RunOutput output;

    @Option(names = "--key", paramLabel = "FILE", description = "A public key (PEM, the release's PROJECT-VERSION.pub.pem) to check"
            + " the provenance's, the images' cosign and the files' Sigstore signatures with, instead of the public half of attestations.key: for a machine without the secret key.")
    java.nio.file.Path key;

    /** The services, with {@code --key} where the attestation check reads it (CUTTER_ATTESTATION_KEY). */
    private Services withKey(Services services) {
        if (key == null) {
            return services;
        }
        Map<String, String> environment = new java.util.HashMap<>(services.environment());
        environment.put("CUTTER_ATTESTATION_KEY", services.resolve(key).toString());
        return new Services(environment, services.clock(), services.workingDirectory());
    }

    @Override
    int call(Spec spec, PrintWriter out) throws Exception {
        Services services = withKey(project.services());
        return output.run(project, services, (ledger, progress, cancellation) -> services.verifier(ledger, progress, cancellation)
                .verify(spec, release.request(services, project.file(), spec), RunOptions.defaults()), (verification, progress) -> {
                    Outcome outcome = verification.outcome();
                    var checks = verification.checks();
                    if (output.json()) {
                        Map<String, Object> body = new LinkedHashMap<>();
                        body.put("status", outcome.status());
                        body.put("run", outcome.runId());
                        body.put("message", outcome.message());
                        body.put("checks", checks.stream().map(j -> {
                            Map<String, Object> check = new LinkedHashMap<>();
                            check.put("id", j.jobId());
                            check.put("state", j.state());
                            check.put("detail", j.detail());
                            return check;
                        }).toList());
                        JsonOption.print(out, body);
                    } else {
                        out.println();
                        for (JobResult check : checks) {
                            out.println((check.state() == JobState.SUCCEEDED ? "ok      " : check.state().name().toLowerCase() + "  ")
                                    + check.jobId() + ": " + check.detail());
                        }
                        out.println(outcome.message());
                    }
                    out.flush();
                    return ExitCode.of(outcome.status());
                });
    }
}
