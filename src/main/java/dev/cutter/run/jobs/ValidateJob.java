package dev.cutter.run.jobs;

import dev.cutter.plan.Action;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.JobHandler;
import dev.cutter.run.JobOutcome;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Post-release checks. {@code run} checks are a command in the project directory that must
 * exit 0; the other built-in checks (images, assets, apt/yum installs) come with the targets
 * they check and fail clearly until then.
 */
public final class ValidateJob implements JobHandler {
    private final Map<String, String> environment;

    public ValidateJob(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public JobOutcome run(JobContext context) throws Exception {
        Action.Validate validate = (Action.Validate) context.job().action();
        if (!validate.check().equals("run")) {
            throw JobFailure.failed("the built-in check '" + validate.check() + "' is not available yet; use check: run with a command");
        }
        Map<String, String> env = new TreeMap<>();
        validate.env().forEach((k, v) -> env.put(k, context.secrets().resolve(v)));
        String command = validate.run().orElseThrow();
        int status = Shell.run(context, command, env, context.projectDir(), environment);
        if (status != 0) {
            throw JobFailure.failed("validation `" + command + "` exited with status " + status);
        }
        return JobOutcome.done("passed", List.of(), List.of());
    }
}
