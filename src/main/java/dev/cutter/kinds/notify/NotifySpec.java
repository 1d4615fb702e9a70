package dev.cutter.kinds.notify;

import dev.cutter.spec.Entry;
import dev.cutter.spec.Location;
import dev.cutter.spec.Template;
import java.util.List;

/** A webhook told the outcome of a release ({@code notify:}), on success, failure or both. */
public record NotifySpec(String id, Template url, String format, List<String> on, Location location) implements Entry {}
