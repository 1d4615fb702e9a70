package dev.cutter.kinds.sign;

import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.plan.Job;
import dev.cutter.plan.Planning;
import dev.cutter.plan.Planning.Needs;
import dev.cutter.run.JobHandler;
import dev.cutter.spec.Cell;
import java.util.List;
import java.util.Optional;

/** Signatures: detached OpenPGP signatures, reproducible, over what {@code artifacts} names. */
public final class Signs {
    private Signs() {}

    public static final Capability CAPABILITY = new Capability("signs", List.of(SignSection.SECTION),
            List.of(Signs::plan),
            List.of(ActionText.of(Action.Sign.class, s -> "sign " + s.artifacts() + " (" + s.mode() + ")")),
            services -> List.of(JobHandler.of(Action.Sign.class, new SignJob())));

    /** One sign job per entry, after the jobs that make what it signs; none when they were all filtered out. */
    private static void plan(Planning planning) {
        for (SignSpec sign : SignSection.SECTION.of(planning.spec())) {
            Needs needs = new Needs();
            for (Job job : planning.jobs()) {
                boolean wanted = switch (sign.artifacts()) {
                    case "checksums" -> job.kind().equals("checksums");
                    case "archives" -> job.kind().equals("archive");
                    case "packages" -> job.kind().equals("package");
                    default -> job.kind().equals("archive") || job.kind().equals("package") || job.kind().equals("checksums");
                };
                if (wanted) {
                    needs.add(job.id());
                }
            }
            if (needs.isEmpty()) {
                continue;
            }
            planning.add("sign", sign.id(), Cell.EMPTY, List.of(), needs, Optional.empty(),
                    new Action.Sign(sign.artifacts(), sign.mode(), planning.render(sign.key(), Cell.EMPTY),
                            planning.render(sign.passphrase(), Cell.EMPTY)));
        }
    }
}
