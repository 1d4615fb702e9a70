package dev.cutter.plan;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A job with its action as its own type: what {@link Plan#jobs(Class)} gives for one kind of
 * action, so a later job reads an earlier one's fields without a cast.
 */
public record Planned<A extends Action>(Job job, A action) {

    /** The jobs among {@code jobs} whose action is of {@code kind}, in their order. */
    static <A extends Action> Stream<Planned<A>> among(Collection<Job> jobs, Class<A> kind) {
        return jobs.stream().filter(j -> kind.isInstance(j.action())).map(j -> new Planned<>(j, kind.cast(j.action())));
    }

    public String id() {
        return job.id();
    }

    public String entry() {
        return job.entry();
    }

    public Map<String, String> matrix() {
        return job.matrix();
    }

    public List<String> needs() {
        return job.needs();
    }
}
