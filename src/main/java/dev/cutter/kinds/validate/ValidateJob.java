package dev.cutter.kinds.validate;

import dev.cutter.plan.Action;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import dev.cutter.run.jobs.Registries;
import dev.cutter.run.jobs.Shell;

/**
 * Post-release checks. {@code run} checks are a command in the project directory that must
 * exit 0, with {@code image} against the image's filesystem ({@link ImageChecks}); {@code images}
 * reads every tag of every publication back from its target by digest.
 * {@code apt-install} and {@code yum-install} point the real apt-get or dnf at every published
 * repository of that kind and download its packages as an install would. {@code attestations}
 * checks what {@code attestations:} attached ({@link AttestationChecks}).
 */
public final class ValidateJob implements ActionHandler<Action.Validate> {
    private final Map<String, String> environment;
    private final java.net.http.HttpClient http;
    private final Registries registries;
    private final dev.cutter.ledger.Ledger ledger;

    public ValidateJob(Map<String, String> environment, java.net.http.HttpClient http, Registries registries,
            dev.cutter.ledger.Ledger ledger) {
        this.environment = environment;
        this.http = http;
        this.registries = registries;
        this.ledger = ledger;
    }

    @Override
    public JobOutcome run(JobContext context, Action.Validate validate) throws Exception {
        if (validate.check().equals("images")) {
            return ImageChecks.images(context, validate, registries);
        }
        if (validate.check().equals("attestations")) {
            return AttestationChecks.check(context, registries, ledger, environment);
        }
        if (validate.check().equals("assets")) {
            return AssetChecks.check(context, environment, http);
        }
        if (validate.check().equals("apt-install") || validate.check().equals("yum-install")) {
            return PackageInstalls.check(context, validate.check().equals("apt-install") ? "apt" : "yum");
        }
        if (!validate.check().equals("run")) {
            throw JobFailure.failed("the built-in check '" + validate.check() + "' is not available yet; use check: run with a command");
        }
        Map<String, String> env = new TreeMap<>();
        validate.env().forEach((k, v) -> env.put(k, context.secrets().resolve(v)));
        if (validate.image().isPresent()) {
            return ImageChecks.runAgainstImage(context, validate, env, registries, environment);
        }
        String command = validate.run().orElseThrow();
        int status = Shell.run(context, command, env, context.projectDir(), environment, validate.inheritEnv());
        if (status != 0) {
            throw JobFailure.failed("validation `" + command + "` exited with status " + status);
        }
        return JobOutcome.done("passed", List.of(), List.of());
    }
}
