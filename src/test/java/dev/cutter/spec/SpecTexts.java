package dev.cutter.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.AbstractListAssert;
import org.assertj.core.api.ObjectAssert;
import org.assertj.core.groups.Tuple;

/** Loads specs written inline in tests and reads back the faults they are rejected with. */
final class SpecTexts {
    static final Path FILE = Path.of("cutter.yaml");

    private SpecTexts() {}

    static Spec load(String yaml) {
        return dev.cutter.kinds.Capabilities.specLoader().load(FILE, yaml);
    }

    static List<SpecError> errors(String yaml) {
        return errors(FILE, yaml);
    }

    static List<SpecError> errors(Path file, String yaml) {
        try {
            dev.cutter.kinds.Capabilities.specLoader().load(file, yaml);
        } catch (SpecException e) {
            assertThat(e.errors()).as("a rejected spec names at least one fault").isNotEmpty();
            return e.errors();
        }
        return fail("expected the spec to be rejected, but it loaded:\n" + yaml);
    }

    /** One expected fault: line, column, field path, message. */
    static Tuple fault(int line, int column, String path, String message) {
        return tuple(line, column, path, message);
    }

    /** The faults of {@code yaml} as (line, column, path, message) tuples, in the order reported. */
    static AbstractListAssert<?, List<? extends Tuple>, Tuple, ObjectAssert<Tuple>> assertFaults(String yaml) {
        return assertFaults(errors(yaml));
    }

    static AbstractListAssert<?, List<? extends Tuple>, Tuple, ObjectAssert<Tuple>> assertFaults(List<SpecError> errors) {
        return assertThat(errors).extracting(e -> e.location().line(), e -> e.location().column(), SpecError::path,
                SpecError::message);
    }
}
