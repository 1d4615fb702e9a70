package dev.cutter.kinds.notify;

import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.Section;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Spec;
import dev.cutter.spec.YamlNode;
import java.util.List;

/** {@code notify:}: webhooks (JSON or Slack) told the outcome, whatever it was. */
public final class NotifySection implements Section<List<NotifySpec>> {
    public static final NotifySection SECTION = new NotifySection();

    private NotifySection() {}

    @Override
    public String key() {
        return "notify";
    }

    /** {@code spec}'s webhooks. */
    public static List<NotifySpec> of(Spec spec) {
        return spec.sections().get(SECTION);
    }

    @Override
    public List<NotifySpec> read(SectionReader reader) {
        return reader.top().list(key(), (node, at) -> notification(reader, node, at));
    }

    private static NotifySpec notification(SectionReader reader, YamlNode node, String at) {
        Fields f = reader.top().open(node, at);
        NotifySpec notify = new NotifySpec(f.string("id", "notify-" + at.replaceAll("\\D", "")),
                f.requiredTemplate("webhook", "\"${env:SLACK_WEBHOOK}\""), f.choice("format", "json", List.of("json", "slack")),
                f.list("on", (n, a) -> f.scalar(n, a).map(v -> {
                    if (!v.equals("success") && !v.equals("failure")) {
                        f.problem(n.location(), a, "'" + v + "' is not an outcome; write success or failure");
                        return null;
                    }
                    return v;
                }).orElse(null)), f.location());
        f.finish();
        return notify.on().isEmpty() ? new NotifySpec(notify.id(), notify.url(), notify.format(),
                List.of("success", "failure"), notify.location()) : notify;
    }


    @Override
    public void check(List<NotifySpec> notifications, SectionChecks checks) {
        checks.unique("notify", notifications, NotifySpec::id, NotifySpec::location);
        for (int i = 0; i < notifications.size(); i++) {
            checks.check(notifications.get(i).url(), PlaceholderScope.none("notify[" + i + "]"), true);
        }
    }
}
