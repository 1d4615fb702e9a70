package dev.cutter.kinds.notify;

import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.EntrySection;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import java.util.List;

/** {@code notify:}: webhooks (JSON or Slack) told the outcome, whatever it was. */
public final class NotifySection extends EntrySection<NotifySpec> {
    public static final NotifySection SECTION = new NotifySection();

    private NotifySection() {
        super("notify", "notify");
    }

    @Override
    protected NotifySpec entry(SectionReader reader, Fields f, String id, String at) {
        NotifySpec notify = new NotifySpec(id,
                f.requiredTemplate("webhook", "\"${env:SLACK_WEBHOOK}\""), f.choice("format", "json", List.of("json", "slack")),
                f.list("on", (n, a) -> f.scalar(n, a).map(v -> {
                    if (!v.equals("success") && !v.equals("failure")) {
                        f.problem(n.location(), a, "'" + v + "' is not an outcome; write success or failure");
                        return null;
                    }
                    return v;
                }).orElse(null)), f.location());
        return notify.on().isEmpty() ? new NotifySpec(notify.id(), notify.url(), notify.format(),
                List.of("success", "failure"), notify.location()) : notify;
    }

    @Override
    protected void check(NotifySpec notify, String at, SectionChecks checks) {
        checks.check(notify.url(), PlaceholderScope.none(at), true);
    }
}
