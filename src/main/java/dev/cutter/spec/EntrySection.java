package dev.cutter.spec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A section that is a list of entries with ids ({@code builds:}, {@code images:}, {@code releases:}…):
 * read entry by entry, ids unique, each entry checked at its place ({@code builds[2]}). A
 * capability gives how one entry is read and checked; the list, the ids and their faults are here.
 */
public abstract class EntrySection<T extends Entry> implements Section<List<T>> {
    private final String key;
    private final Optional<String> idPrefix;

    /** A section under {@code key} whose entries each name their {@code id}. */
    protected EntrySection(String key) {
        this(key, Optional.empty());
    }

    /**
     * A section under {@code key} whose entries may leave their {@code id} out: it is then
     * {@code idPrefix-N} for the entry at {@code key[N]} ({@code notify[2]} gives {@code notify-2}).
     */
    protected EntrySection(String key, String idPrefix) {
        this(key, Optional.of(idPrefix));
    }

    private EntrySection(String key, Optional<String> idPrefix) {
        this.key = key;
        this.idPrefix = idPrefix;
    }

    @Override
    public final String key() {
        return key;
    }

    /**
     * One entry, read from its keys {@code f} at {@code at} ({@code builds[2]}); its {@code id} is
     * read already. Faults go to {@code f}. A key it does not ask for is told as unknown once it returns.
     */
    protected abstract T entry(SectionReader reader, Fields f, String id, String at);

    /** Checks one entry at {@code at} once every section is read. */
    protected void check(T entry, String at, SectionChecks checks) {}

    /** Checks over all the entries together (dependency cycles…), after each entry's. */
    protected void checkAll(List<T> entries, SectionChecks checks) {}

    /** {@code spec}'s entry {@code id}. */
    public final Optional<T> find(Spec spec, String id) {
        return of(spec).stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** The ids of {@code spec}'s entries: what other sections may refer to. */
    public final Set<String> ids(Spec spec) {
        Set<String> ids = new LinkedHashSet<>();
        of(spec).forEach(e -> ids.add(e.id()));
        return ids;
    }

    @Override
    public final List<T> read(SectionReader reader) {
        return reader.top().list(key, (node, at) -> {
            Fields f = reader.top().open(node, at);
            String id = idPrefix.map(prefix -> f.string("id", prefix + "-" + at.replaceAll("\\D", "")))
                    .orElseGet(() -> reader.id(f));
            T entry = entry(reader, f, id, at);
            f.finish();
            return entry;
        });
    }

    @Override
    public final void check(List<T> entries, SectionChecks checks) {
        checks.unique(key, entries, Entry::id, Entry::location);
        for (int i = 0; i < entries.size(); i++) {
            check(entries.get(i), key + "[" + i + "]", checks);
        }
        checkAll(entries, checks);
    }

    /** The entries' ids as the ids {@code --only KIND=ID} picks among. */
    protected final Map<String, List<String>> selectableAs(String kind, List<T> entries) {
        return Map.of(kind, entries.stream().map(Entry::id).toList());
    }

    /** Each entry's matrix and the jobs it makes ({@code jobs}), for {@code execution.max-jobs}. */
    protected final List<SectionChecks.MatrixEntry> matrices(List<T> entries, Function<T, MatrixSpec> matrix,
            ToLongFunction<T> jobs) {
        List<SectionChecks.MatrixEntry> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            T e = entries.get(i);
            out.add(new SectionChecks.MatrixEntry(key + "[" + i + "]", e.location(), matrix.apply(e), jobs.applyAsLong(e)));
        }
        return out;
    }
}
