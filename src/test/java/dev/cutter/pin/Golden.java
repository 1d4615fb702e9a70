package dev.cutter.pin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Shared checks: an edit changes the lines it should, and reverting it gives the input back. */
final class Golden {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Golden() {}

    /** The lines of {@code text}, each with its line ending, so CRLF and a missing final newline count. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            out.add(text.substring(start, end));
            start = end;
        }
        return out;
    }

    /** The 0-based numbers of lines that differ; both texts must have as many lines. */
    static List<Integer> changedLines(String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        assertThat(b).as("line count").hasSameSizeAs(a);
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                changed.add(i);
            }
        }
        return changed;
    }

    /** Applies, checks exactly one line changed to {@code expectedLine}, reverts and checks the original comes back. */
    static PinEdit.Result applyOneLine(String text, Pin pin, String value, String expectedLine) {
        PinEdit.Result result = PinEdit.apply(text, pin, value);
        assertThat(result.changed()).isTrue();
        List<Integer> changed = changedLines(text, result.text());
        assertThat(changed).hasSize(1);
        assertThat(lines(result.text()).get(changed.get(0)).stripTrailing()).isEqualTo(expectedLine);
        assertThat(PinEdit.apply(result.text(), pin, value).changed()).as("re-applying changes nothing").isFalse();
        assertRevertsExactly(text, result, pin, value);
        return result;
    }

    static void assertRevertsExactly(String original, PinEdit.Result result, Pin pin, String value) {
        PinEdit.Result reverted = PinEdit.revert(result.text(), pin, value, result.previous(), result.previousSource());
        assertThat(reverted.changed()).isTrue();
        assertThat(reverted.text()).isEqualTo(original);
        PinEdit.Result again = PinEdit.revert(reverted.text(), pin, value, result.previous(), result.previousSource());
        assertThat(again.changed()).as("reverting twice changes nothing").isFalse();
        assertThat(again.text()).isEqualTo(original);
    }

    static JsonNode tree(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
