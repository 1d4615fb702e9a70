package dev.cutter.cli;

import dev.cutter.app.Services;
import dev.cutter.rebuild.Difference;
import dev.cutter.rebuild.Rebuilder;
import dev.cutter.spec.Spec;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cutter rebuild --check VERSION}: a recorded release rebuilt from its commit in a clean clone, every digest compared. */
@Command(footer = {"%nExamples:", "  cutter rebuild --check 1.7.8", "  SOURCE_DATE_EPOCH=1767323045 cutter rebuild --check 2.0.0 --json"},
        name = "rebuild",
        description = "Rebuild a recorded release from its commit in a clean temporary clone, without publishing, and compare every"
                + " digest with the recorded ones; what differs is listed file by file, entry by entry. Exit 0 when identical,"
                + " 1 when something differs or the rebuild fails.")
final class RebuildCommand extends ProjectCommand {
    @Option(names = "--check", required = true, paramLabel = "VERSION",
            description = "The released version to rebuild and compare (its newest succeeded release in the ledger).")
    String version;

    @Mixin
    RunOutput output;

    @Override
    int call(Spec spec, PrintWriter out) throws Exception {
        Services services = project.services();
        return output.run(project, services, (ledger, progress, cancellation) -> {
            try {
                return services.rebuilder(ledger, progress, cancellation).check(services.resolve(project.file()), spec.project(), version);
            } catch (java.io.IOException e) {
                throw new CommandFailure(ExitCode.JOB_FAILED, "cannot rebuild " + spec.project() + " " + version + ": "
                        + e.getMessage());
            }
        }, (report, progress) -> tell(report, spec, out));
    }

    private int tell(Rebuilder.Report report, Spec spec, PrintWriter out) {
        String what = spec.project() + " " + version;
        String summary = report.failure().map(f -> "the rebuild of " + what + " (run " + report.run() + ", commit " + report.commit()
                + ") failed: " + f).orElseGet(() -> report.identical()
                ? "rebuilt " + what + " from commit " + report.commit() + " (run " + report.run() + "): all " + report.compared().size()
                        + " outputs identical"
                : "rebuilt " + what + " from commit " + report.commit() + " (run " + report.run() + "): " + report.differences().size()
                        + " of " + report.compared().size() + " outputs differ");
        if (output.json()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("identical", report.identical());
            body.put("run", report.run());
            body.put("commit", report.commit());
            body.put("compared", report.compared().size());
            report.failure().ifPresent(f -> body.put("failure", f));
            body.put("differences", report.differences().stream().map(d -> {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("job", d.job());
                one.put("kind", d.kind());
                one.put("name", d.name());
                one.put("recorded", d.recorded().toString());
                one.put("rebuilt", d.rebuilt().map(Object::toString).orElse(null));
                one.put("entries", d.entries());
                return one;
            }).toList());
            body.put("message", summary);
            JsonOption.print(out, body);
        } else {
            out.println();
            for (Difference d : report.compared()) {
                out.println((d.same() ? "same    " : "differs ") + d.job() + " " + d.name() + ": " + d.recorded()
                        + (d.same() ? "" : " released, " + d.rebuilt().map(Object::toString).orElse("nothing") + " rebuilt"));
                d.entries().forEach(e -> out.println("          " + e));
            }
            out.println(summary);
        }
        out.flush();
        return report.identical() ? ExitCode.OK : ExitCode.JOB_FAILED;
    }
}
